"""What both front ends do with a connection, written once, without Qt.

Each task takes plain values and a SecretStore (wizard/core/store.py) and returns codes and
values; the window runs them off the GUI thread, the command line calls them directly, and
each words the outcome in its own way:

- credential: which secret a test uses, and where it came from;
- save: write a tested connection (file or profile) and keep its secret or key, under the
  rules of docs/connection-file.md ("What is kept, and what is never lost");
- forget: delete a profile and the keychain entry only it uses;
- rotate: keep a new secret once Halo has accepted it.
"""
