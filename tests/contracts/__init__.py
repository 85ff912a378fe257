"""Contract tests: what every implementation of a port must do, fake or real.

Each module parametrises a fixture over implementations ("memory" today); a real adapter joins
by adding its name and factory to the module's table, and must pass every test unchanged.
"""
