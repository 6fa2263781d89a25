"""Purchase orders hand-coded the way ERPs and templates print them (SAP, NetSuite, Dynamics, Odoo, Sage,
Exact, QuickBooks, Lexware, Cegid, Holded, TeamSystem, a spreadsheet), each with its ground truth: an
evaluation set the extractor was not written against."""

from importlib import import_module

from evals.order_entry.sample import Sample

STYLES = (
    "us_excel",
    "us_netsuite",
    "us_quickbooks",
    "uk_dynamics",
    "uk_sage",
    "fr_odoo",
    "fr_cegid",
    "de_sap",
    "de_lexware",
    "nl_exact",
    "es_holded",
    "it_teamsystem",
    "us_oracle",
    "ch_abacus",
    "be_fr",
    "uk_xero",
    "es_a3",
    "it_zucchetti",
    "nl_afas",
    "de_sage",
    "de_sap_long",
    "us_intacct",
    "uk_sap_b1",
    "fr_ebp",
    "it_danea",
    "us_odoo",
    "at_bmd",
    "us_fishbowl",
    "es_factusol",
)


def samples() -> list[Sample]:
    return [import_module(f"{__name__}.{style}").sample() for style in STYLES]
