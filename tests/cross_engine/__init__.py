"""The cross-engine group: the same flow in Firefox and in WebKit, against the same site."""

FLOW_STEPS = [
    "boot",
    "redirect sign-in",
    "profile",
    "API query",
    "reload keeps the session",
    "sign-out",
    "popup sign-in",
]
