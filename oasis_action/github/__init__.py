"""The only code that talks to GitHub. Behaviours see `port` dataclasses, never PyGithub objects."""
