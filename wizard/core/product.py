"""How Halo's products are named in its menus, and the pages of an instance the fixes point to."""

from __future__ import annotations

# The page listing an instance's API applications (Configuration > Integrations > ... API).
APPLICATIONS_PAGE = "/config/integrations/api/applications"


def product_names(app_name: str | None, hint: str | None) -> tuple[str, str]:
    """("HaloPSA", "HaloPSA API") from Halo's app_name, else from the domain, else generic."""
    if app_name:
        product = "".join(app_name.split())
    elif hint and hint != "Halo":
        product = hint
    else:
        return "Halo", "Halo API"
    return product, f"{product} API"
