"""Each record kind's fields as its forms and detail screen show them (labels, widgets, limits).

Shared by the forms and the detail screens, so a detail screen never imports its form (or the
other way round), and the officer form and the first-run profile take their fields, limits
included, from one place. The field schema in ``domain`` will take this over.
"""

from __future__ import annotations

from fieldtui.domain.enums import EnterpriseScale, EnterpriseStatus, Industry, OfficerRole
from fieldtui.i18n import N_
from fieldtui.ui.screens.form_spec import FieldSpec

LABELS: dict[str, str] = {
    "name": N_("Enterprise name"),
    "uscc": N_("Unified social credit code"),
    "legal_rep": N_("Legal representative"),
    "industry": N_("Industry section"),
    "scale": N_("Enterprise scale"),
    "status": N_("Enterprise status"),
    "address": N_("Address"),
    "contact": N_("Contact person"),
    "phone": N_("Contact phone"),
    "employees": N_("Employees"),
    "revenue_wan": N_("Last year's revenue (10k yuan)"),
    "tags": N_("Tags"),
    "notes": N_("Notes"),
}
"""Field labels (English msgids)."""

PHONE_EXAMPLE = "13800138000 / 0758-2722284"

ENTERPRISE_FORM: tuple[FieldSpec, ...] = (
    FieldSpec("name", LABELS["name"], required=True),
    FieldSpec("uscc", LABELS["uscc"], placeholder="91441284MA…"),
    FieldSpec("legal_rep", LABELS["legal_rep"]),
    FieldSpec("industry", LABELS["industry"], "select", choices=Industry.choices),
    FieldSpec("scale", LABELS["scale"], "select", choices=EnterpriseScale.choices),
    FieldSpec(
        "status",
        LABELS["status"],
        "select",
        required=True,
        choices=EnterpriseStatus.choices,
        default=EnterpriseStatus.OPERATING.code,
    ),
    FieldSpec("address", LABELS["address"]),
    FieldSpec("contact", LABELS["contact"]),
    FieldSpec("phone", LABELS["phone"], placeholder=PHONE_EXAMPLE),
    FieldSpec("employees", LABELS["employees"], placeholder="120"),
    FieldSpec("revenue_wan", LABELS["revenue_wan"], placeholder="5000"),
    FieldSpec("tags", LABELS["tags"], placeholder=N_("separate with 、 or ,")),
    FieldSpec("notes", LABELS["notes"], "text"),
)
"""The enterprise form's fields, in form order (``domain.forms.ENTERPRISE_FIELDS``)."""

OFFICER_LABELS: dict[str, str] = {
    "name": N_("Name"),
    "phone": N_("Phone"),
    "unit": N_("Unit"),
    "role": N_("Role"),
}

OFFICER_FORM: tuple[FieldSpec, ...] = (
    FieldSpec("name", OFFICER_LABELS["name"], required=True, max_length=40),
    FieldSpec("phone", OFFICER_LABELS["phone"], placeholder=PHONE_EXAMPLE, max_length=24),
    FieldSpec("unit", OFFICER_LABELS["unit"], max_length=60),
    FieldSpec(
        "role",
        OFFICER_LABELS["role"],
        "select",
        required=True,
        choices=OfficerRole.choices,
        default=OfficerRole.CSO.code,
    ),
)
"""The officer's fields: the officer form and the first-run profile share them, limits too."""
