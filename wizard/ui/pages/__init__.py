"""One module per wizard page, keyed by the flow's step."""

from __future__ import annotations

from wizard.flow import StepKey
from wizard.ui.pages.base import FlowPage
from wizard.ui.pages.create_app import CreateAppPage
from wizard.ui.pages.credentials import CredentialsPage
from wizard.ui.pages.export import ExportPage
from wizard.ui.pages.hostname import HostnamePage
from wizard.ui.pages.identity import IdentityPage
from wizard.ui.pages.live_test import LiveTestPage
from wizard.ui.pages.open_connection import OpenPage
from wizard.ui.pages.scopes import ScopesPage
from wizard.ui.pages.tenant import TenantPage
from wizard.ui.pages.tool import ToolPage
from wizard.ui.pages.welcome import WelcomePage

PAGE_TYPES: dict[StepKey, type[FlowPage]] = {
    StepKey.WELCOME: WelcomePage,
    StepKey.TOOL: ToolPage,
    StepKey.OPEN: OpenPage,
    StepKey.CREATE_APP: CreateAppPage,
    StepKey.IDENTITY: IdentityPage,
    StepKey.SCOPES: ScopesPage,
    StepKey.HOSTNAME: HostnamePage,
    StepKey.TENANT: TenantPage,
    StepKey.CREDENTIALS: CredentialsPage,
    StepKey.TEST: LiveTestPage,
    StepKey.EXPORT: ExportPage,
}

__all__ = ["PAGE_TYPES", "FlowPage"]
