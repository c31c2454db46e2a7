"""The cross-engine group: the same flow in Firefox and in WebKit, against the same site."""

FLOW_STEPS = [
    "boot",
    "redirect sign-in",
    "profile",
    "API query",
    "worker query",
    "reload keeps the session",
    "sign-out",
    "popup sign-in",
]

# examples/minimal: the library's smallest page, redirect sign-in only.
EXAMPLE_STEPS = ["boot", "redirect sign-in", "signed in as", "reload keeps the session", "sign-out"]

# A copy of the tab that was on another page at sign-out comes back signed out.
COPIES_STEPS = ["redirect sign-in", "a copy of the tab, away", "sign-out", "the copy comes back signed out"]
