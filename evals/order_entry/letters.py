"""Orders written as a letter, not a form: the items, the reference and the delivery address are in
sentences ("please send us 12 units of ... at 4.50 each"). The deterministic extractor is not built for
them (the LLM path is); they are scored apart."""

import random
from dataclasses import replace
from decimal import Decimal

from evals.order_entry import parties
from evals.order_entry.catalogue import Product
from evals.order_entry.formats import date, money, quantity
from evals.order_entry.letter_pdf import write_letter
from evals.order_entry.sample import Sample
from evals.order_entry.sampling import draw
from evals.order_entry.spec import Spec, truth

# language: greeting, item, reference, delivery address, delivery date, total, closing
PHRASES = {
    "en": (
        "Dear Sir or Madam,",
        "{qty} units of {name} (ref. {sku}) at {price} each",
        "Our order reference is {number}.",
        "Please deliver to {address}",
        " by {date}",
        "The total comes to {total}.",
        "Kind regards,",
    ),
    "fr": (
        "Madame, Monsieur,",
        "{qty} unités de {name} (réf. {sku}) au prix de {price} l'unité",
        "Notre référence de commande : {number}.",
        "Merci de livrer à {address}",
        " avant le {date}",
        "Le montant total s'élève à {total}.",
        "Cordialement,",
    ),
    "de": (
        "Sehr geehrte Damen und Herren,",
        "{qty} Stück {name} (Art.-Nr. {sku}) zu {price} je Stück",
        "Unsere Bestellnummer lautet {number}.",
        "Bitte liefern Sie an {address}",
        " bis zum {date}",
        "Der Gesamtbetrag beträgt {total}.",
        "Mit freundlichen Grüßen",
    ),
    "nl": (
        "Geachte heer, mevrouw,",
        "{qty} stuks {name} (art. {sku}) à {price} per stuk",
        "Ons bestelnummer is {number}.",
        "Gelieve te leveren aan {address}",
        " vóór {date}",
        "Het totaalbedrag is {total}.",
        "Met vriendelijke groet,",
    ),
    "es": (
        "Estimados señores:",
        "{qty} unidades de {name} (ref. {sku}) a {price} cada una",
        "Nuestro número de pedido es {number}.",
        "Entreguen en {address}",
        " antes del {date}",
        "El importe total asciende a {total}.",
        "Atentamente,",
    ),
    "it": (
        "Spettabile ditta,",
        "{qty} pezzi di {name} (cod. {sku}) al prezzo di {price} cadauno",
        "Il nostro numero d'ordine è {number}.",
        "Consegnare a {address}",
        " entro il {date}",
        "L'importo totale è di {total}.",
        "Cordiali saluti,",
    ),
}
ASK = {
    "en": "Please send us",
    "fr": "Veuillez nous envoyer",
    "de": "Bitte senden Sie uns",
    "nl": "Stuur ons a.u.b.",
    "es": "Les rogamos nos envíen",
    "it": "Vi preghiamo di inviarci",
}


def letter(rng: random.Random, products: list[Product], language: str, index: int) -> Sample:
    spec = draw(rng, products, language, index)
    spec = replace(
        spec,
        kind="purchase_order",
        bill_to=None,
        lines=spec.lines[: rng.randint(1, 4)],
        discount_rate=Decimal(0),
        shipping=Decimal(0),
        tax_rate=Decimal(0),
        parties="ship-only",
    )
    pdf = write_letter(spec.sender, _place_and_date(spec), _paragraphs(spec))
    document = truth(spec).model_copy(update={"tax": None})
    skus = [line.product.sku for line in spec.lines]
    return Sample(f"{index:04d}-{language}-letter", pdf, document, skus, language, "letter", "letter")


def _place_and_date(spec: Spec) -> str:
    return f"{parties.truth(spec.sender)['city']}, {date(spec.date, spec.style)}"


def _paragraphs(spec: Spec) -> list[str]:
    greeting, _, reference, deliver, by, total, closing = PHRASES[spec.style.language]
    address = ", ".join(parties.printed(spec.ship_to, spec.style.language))
    when = by.format(date=date(spec.delivery, spec.style)) if spec.delivery else ""
    return [greeting, _order(spec), reference.format(number=spec.number),
            deliver.format(address=address) + when + ".", total.format(total=money(spec.total, spec.style)),
            *([spec.note] if spec.note else []), closing, spec.sender["name"]]  # fmt: skip


def _order(spec: Spec) -> str:
    """The order in one sentence: "Please send us 6 units of ... at £13.45 each; 4 units of ..."."""
    item = PHRASES[spec.style.language][1]
    items = [item.format(qty=quantity(line.quantity, spec.style.numbers), name=line.product.name,
                         sku=line.product.sku, price=money(line.product.price, spec.style))
             for line in spec.lines]  # fmt: skip
    return f"{ASK[spec.style.language]} " + "; ".join(items) + "."
