"""The HTTP API: `create_app(deps)` builds the Litestar app over the use cases."""
