"""Labels found accent- and case-insensitively in six languages, and address blocks read into parties."""

import pytest

from oms.channels.documents.addresses import parse_party
from oms.channels.documents.labels import column_labels, header_labels, normalise, total_labels


@pytest.mark.parametrize(
    ("printed", "language"),
    [
        ("PO Number:", "en"),
        ("Purchase Order #", "en"),
        ("Bestellnummer", "de"),
        ("Bestell-Nr.:", "de"),
        ("N° de commande", "fr"),
        ("Numéro de commande", "fr"),
        ("Bestelnummer", "nl"),
        ("Ordernummer", "nl"),
        ("Número de pedido", "es"),
        ("Nº pedido", "es"),
        ("N.º de pedido", "es"),
        ("Numero d'ordine", "it"),
        ("N. ordine", "it"),
        ("Rechnungsnummer", "de"),
        ("Facture N°", "fr"),
        ("FACTUURNUMMER", "nl"),
    ],
)
def test_document_number_labels(printed, language):
    match = header_labels().match_text(printed)
    assert match is not None and match.kind == "document_number" and language in match.languages


@pytest.mark.parametrize(
    ("printed", "kind"),
    [
        ("Liefertermin", "delivery_date"),
        ("Date de livraison", "delivery_date"),
        ("Data di consegna", "delivery_date"),
        ("Rechnungsadresse", "bill_to"),
        ("Adresse de facturation", "bill_to"),
        ("Dirección de facturación", "bill_to"),
        ("Lieferadresse", "ship_to"),
        ("Afleveradres", "ship_to"),
        ("Indirizzo di consegna", "ship_to"),
        ("Kunden-Nr.", "customer_number"),
        ("Währung", "currency"),
    ],
)
def test_other_header_labels(printed, kind):
    assert header_labels().match_text(printed).kind == kind


def test_the_longest_label_wins_and_a_label_ends_at_a_word_end():
    assert header_labels().match_text("Delivery date: 3 May").kind == "delivery_date"
    assert header_labels().match_text("PO-2026-0042") is None


@pytest.mark.parametrize(
    ("printed", "kind"),
    [
        ("Qté", "quantity"),
        ("Q.tà", "quantity"),
        ("Einzelpreis", "unit_price"),
        ("Prix unitaire", "unit_price"),
        ("Désignation", "description"),
        ("Omschrijving", "description"),
        ("Art.-Nr.", "code"),
        ("Código", "code"),
        ("Betrag", "amount"),
        ("Importo", "amount"),
    ],
)
def test_column_labels(printed, kind):
    assert column_labels().match_text(printed).kind == kind


@pytest.mark.parametrize(
    ("printed", "kind"),
    [
        ("Zwischensumme", "subtotal"),
        ("Sous-total", "subtotal"),
        ("Total HT", "subtotal"),
        ("Rabatt", "discount"),
        ("MwSt. 19 %", "tax"),
        ("BTW", "tax"),
        ("Frais de port", "shipping"),
        ("Spedizione", "shipping"),
        ("Total TTC", "total"),
        ("Totaal", "total"),
        ("Übertrag", "carried_forward"),
        ("A reporter", "carried_forward"),
        ("Suma y sigue", "carried_forward"),
        ("Riporto", "carried_forward"),
    ],
)
def test_rows_that_are_no_products(printed, kind):
    assert total_labels().match_text(printed).kind == kind


def test_normalising_drops_accents_case_and_punctuation():
    assert normalise("N° de Commande :") == "no de commande"
    assert normalise("Q.tà") == "q ta"


def test_a_german_address_block():
    party = parse_party(["ACME GmbH", "Hauptstraße 5", "D-80331 München"])
    assert (party.name, party.line1, party.postal_code, party.city, party.country) == (
        "ACME GmbH",
        "Hauptstraße 5",
        "80331",
        "München",
        "DE",
    )


def test_dutch_british_and_american_postal_lines():
    assert parse_party(["Jansen BV", "Keizersgracht 12", "1012 AB Amsterdam"]).country == "NL"
    british = parse_party(["Bar Ltd", "1 High Street", "London SW1A 1AA", "United Kingdom"])
    assert (british.city, british.postal_code, british.country) == ("London", "SW1A 1AA", "GB")
    american = parse_party(["Foo Inc", "12 Main St", "Springfield, IL 62704"])
    assert (american.city, american.postal_code, american.country) == ("Springfield", "62704", "US")


def test_the_country_line_in_another_language_and_contacts_set_apart():
    party = parse_party(["Rossi Srl", "Via Roma 1", "20121 Milano", "Italien", "orders@rossi.example"])
    assert (party.country, party.email, party.line2) == ("IT", "orders@rossi.example", None)


def test_five_digits_without_a_country_line_follow_the_language():
    assert parse_party(["Dupont SA", "12 rue de la Paix", "75002 Paris"], language="fr").country == "FR"
