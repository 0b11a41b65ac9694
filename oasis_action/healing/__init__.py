"""Repository healing: formatting, safe text fixes, and the guard that keeps them meaning-preserving."""
