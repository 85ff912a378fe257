"""The demo tenant and its people: one login per role, with passwords printed for anyone to use.

The passwords are public (they are in this file, in the README and on the terminal), so they
are for a demonstration on a laptop only; a tenant that holds real data gets its users from
its administrators. Everyone is created through the admin use cases (`CreateTenant`,
`CreateUser`), so the trail of the demo tenant starts like any other tenant's.
"""

from __future__ import annotations

from attrs import frozen

from application.credit.admin import CreateTenant, CreateUser, UserDraft
from application.ports import Clock, IdGenerator, PasswordHasher
from domain.identity import Principal, Role
from domain.tenancy import Tenant, User
from entrypoints.composition import Deps

DEMO_SLUG = "demo"
DEMO_TENANT_NAME = "Demo Lender"
#: Who sets the demo up: recorded in the trail as the creator of the tenant and as the
#: operator who asks for the first model's promotion (the demo administrator approves it).
DEMO_SETUP = "demo-setup"


@frozen
class DemoLogin:
    """One demo user: what to type on the login page, and what the user may do."""

    key: str
    email: str
    password: str
    display_name: str
    role: Role


@frozen
class DemoLogins:
    """The demo tenant and its logins, in the order they are listed to people."""

    tenant_slug: str
    logins: tuple[DemoLogin, ...]

    def by_key(self, key: str) -> DemoLogin:
        return next(login for login in self.logins if login.key == key)


def _login(key: str, name: str, role: Role) -> DemoLogin:
    return DemoLogin(key, f"{key}@demo.creditdesk.example", f"demo-{key}-pass", name, role)


#: Demo-only credentials: public by design, never for a tenant with real data.
DEMO_LOGINS = DemoLogins(
    DEMO_SLUG,
    (
        _login("admin", "Ada Admin", Role.ADMIN),
        _login("senior", "Sam Senior", Role.SENIOR_ANALYST),
        _login("analyst1", "Alex Analyst", Role.ANALYST),
        _login("analyst2", "Bea Analyst", Role.ANALYST),
        _login("readonly", "Rory Readonly", Role.READONLY),
        _login("api", "Loan Origination System", Role.API_CONSUMER),
        _login("qa", "Quinn QA", Role.QA_ENGINEER),
    ),
)


def _draft(login: DemoLogin) -> UserDraft:
    return UserDraft(login.email, login.display_name, login.role, login.password)


def demo_tenant(deps: Deps) -> Tenant | None:
    with deps.uow() as uow:
        return uow.tenants.get_by_slug(DEMO_SLUG)


def ensure_people(
    deps: Deps, clock: Clock, ids: IdGenerator, hasher: PasswordHasher
) -> dict[str, Principal]:
    """The demo tenant with every demo user, created where missing; principals by login key.

    A tenant "demo" may exist already (the CLI creates it on first use, with a no-login
    operator); the demo users are then added to it.
    """
    admin_login = DEMO_LOGINS.by_key("admin")
    tenant = demo_tenant(deps)
    if tenant is None:
        setup = Principal(user_id=DEMO_SETUP, tenant_id="", role=Role.ADMIN)
        created = CreateTenant(deps.uow(), clock, ids, hasher)(
            setup, DEMO_SLUG, DEMO_TENANT_NAME, _draft(admin_login)
        )
        tenant = created.tenant
    users: dict[str, User] = {}
    with deps.uow() as uow:
        for login in DEMO_LOGINS.logins:
            found = uow.users.get_by_email(tenant.id, login.email)
            if found is not None:
                users[login.key] = found
    acting = (
        users["admin"].principal()
        if "admin" in users
        else Principal(user_id=DEMO_SETUP, tenant_id=tenant.id, role=Role.ADMIN)
    )
    for login in DEMO_LOGINS.logins:
        if login.key not in users:
            users[login.key] = CreateUser(deps.uow(), clock, ids, hasher)(acting, _draft(login))
    return {key: user.principal() for key, user in users.items()}
