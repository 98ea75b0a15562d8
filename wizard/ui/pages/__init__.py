"""One module per wizard page, keyed by the flow's step.

A page's module is imported when its page is first made (`page_type`), not with the window:
the first page paints without loading what the later pages need (the engine, the keychain,
the connection file, the recipes).
"""

from __future__ import annotations

import importlib

from wizard.flow import StepKey
from wizard.ui.pages.base import FlowPage

# The module (in this package) and the class of each step's page.
PAGE_CLASSES: dict[StepKey, tuple[str, str]] = {
    StepKey.WELCOME: ("welcome", "WelcomePage"),
    StepKey.TOOL: ("tool", "ToolPage"),
    StepKey.OPEN: ("open_connection", "OpenPage"),
    StepKey.CREATE_APP: ("create_app", "CreateAppPage"),
    StepKey.IDENTITY: ("identity", "IdentityPage"),
    StepKey.SCOPES: ("scopes", "ScopesPage"),
    StepKey.HOSTNAME: ("hostname", "HostnamePage"),
    StepKey.TENANT: ("tenant", "TenantPage"),
    StepKey.CREDENTIALS: ("credentials", "CredentialsPage"),
    StepKey.TEST: ("live_test", "LiveTestPage"),
    StepKey.EXPORT: ("export", "ExportPage"),
}


def page_module(key: StepKey) -> str:
    """The full name of the module that has the page of `key`."""
    return f"{__name__}.{PAGE_CLASSES[key][0]}"


def page_type(key: StepKey) -> type[FlowPage]:
    """The class of the page of `key`, its module imported on first use."""
    class_name = PAGE_CLASSES[key][1]
    page_class = getattr(importlib.import_module(page_module(key)), class_name)
    assert isinstance(page_class, type) and issubclass(page_class, FlowPage), page_class
    return page_class


__all__ = ["PAGE_CLASSES", "FlowPage", "page_module", "page_type"]
