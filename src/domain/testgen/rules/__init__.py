"""The generation rules, each a named pure function proposing test cases for one operation (or,
for CRUD chains, one resource); `domain.testgen.generate` runs them all."""
