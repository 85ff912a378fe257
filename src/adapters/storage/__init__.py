"""Object stores: where uploaded CSV batches, model artifacts and exported reports live.

Two adapters satisfy `application.ports.ObjectStore`: a folder on the local filesystem (the
embedded default, `adapters.storage.local`) and any S3-compatible service. Both accept the same
keys (`adapters.storage.keys`), so data moves between them unchanged, and both check every
object's SHA-256 when it is read, so a damaged object fails loudly instead of being used.
"""
