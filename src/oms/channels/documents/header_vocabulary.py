"""The labels of a document's header fields and address blocks, per language, as normalised text
(lower case, no accents, N° and Nº as "no", punctuation as spaces; see labels.normalise). One label per
"|"-separated entry; the longest label that starts a phrase wins."""

DOCUMENT_NUMBER = {
    "en": "po number|po no|po #|po|order|purchase order number|purchase order no|purchase order #|"
          "order number|"
          "order no|order #|order ref|invoice number|invoice no|invoice #|document number|document no|"
          "no|number|"
          "p o no|p o number|p o #|p o",
    "de": "bestellnummer|bestell nr|bestellung nr|bestellnr|auftragsnummer|auftrags nr|auftrag nr|"
          "rechnungsnummer|rechnungs nr|rechnung nr|rechnungsnr|belegnummer|beleg nr|bestellung no",
    "fr": "no de commande|numero de commande|commande no|no commande|bon de commande no|ref commande|"
          "no de facture|numero de facture|facture no|no facture|numero commande|numero facture|no|numero",
    "nl": "bestelnummer|bestelling nr|bestelling no|ordernummer|order nr|inkoopordernummer|inkooporder nr|"
          "factuurnummer|factuur nr|factuurnr|bestelnr",
    "es": "numero de pedido|no pedido|no de pedido|pedido no|n pedido|numero pedido|orden de compra no|"
          "numero de factura|no factura|factura no|no de factura|n factura|no|numero",
    "it": "numero d ordine|numero ordine|n ordine|no ordine|ordine n|ordine no|n d ordine|nr ordine|"
          "numero fattura|n fattura|fattura n|fattura no|numero documento|nr fattura|numero|num",
}
DOCUMENT_DATE = {
    "en": "date|order date|po date|invoice date|document date|issue date|date of order|date issued|"
          "order deadline",
    "de": "datum|bestelldatum|rechnungsdatum|belegdatum|auftragsdatum|bestellungsdatum",
    "fr": "date|date de commande|date de facture|date facture|date d emission|date commande",
    "nl": "datum|besteldatum|orderdatum|factuurdatum|bestellingsdatum",
    "es": "fecha|fecha de pedido|fecha del pedido|fecha pedido|fecha de factura|fecha factura|"
          "fecha de emision",
    "it": "data|data ordine|data dell ordine|data fattura|data documento|data emissione|data d ordine",
}
DELIVERY_DATE = {
    "en": "delivery date|requested delivery date|requested delivery|deliver by|required by|required date|"
          "delivery by|need by|need by date|requested date|requested ship date|ship date|due delivery|"
          "receive by|expected receipt date|expected delivery date|expected date|receipt date|"
          "requested receipt date|expected arrival|arrival date",
    "de": "liefertermin|lieferdatum|gewunschter liefertermin|wunschtermin|wunschliefertermin|anlieferdatum|"
          "gewunschtes lieferdatum|liefertermin gewunscht",
    "fr": "date de livraison|date de livraison souhaitee|livraison souhaitee|delai de livraison|"
          "date livraison|livraison souhaitee le|livraison le|livraison|delai|date de reception prevue|date prevue|"
          "date de reception",
    "nl": "leverdatum|gewenste leverdatum|afleverdatum|leveringsdatum|gewenste leveringsdatum",
    "es": "fecha de entrega|fecha entrega|fecha de entrega solicitada|entrega solicitada|plazo de entrega",
    "it": "data di consegna|data consegna|consegna richiesta|data consegna richiesta|"
          "data di consegna richiesta|termine di consegna|consegna",
}
CUSTOMER_NUMBER = {
    "en": "customer number|customer no|customer #|customer id|account number|account no|customer code|"
          "account",
    "de": "kundennummer|kunden nr|kd nr|kundennr|kunden nummer",
    "fr": "no client|numero client|numero de client|code client|ref client|no de client",
    "nl": "klantnummer|klant nr|debiteurnummer|klantnr|debiteur nr",
    "es": "numero de cliente|no cliente|codigo cliente|no de cliente|codigo de cliente",
    "it": "codice cliente|numero cliente|n cliente|cod cliente|nr cliente",
}
CURRENCY = {
    "en": "currency", "de": "wahrung", "fr": "devise|monnaie", "nl": "valuta", "es": "moneda|divisa",
    "it": "valuta|divisa",
}
BILL_TO = {
    "en": "bill to|billing address|invoice to|invoice address|bill to address|invoicing address",
    "de": "rechnungsadresse|rechnungsanschrift|rechnung an|rechnungsempfanger",
    "fr": "adresse de facturation|facturer a|facture a|adresse facturation|facturation",
    "nl": "factuuradres|factureren aan|factuur aan|factuuradres klant",
    "es": "direccion de facturacion|facturar a|datos de facturacion|facturacion",
    "it": "indirizzo di fatturazione|fatturare a|fatturazione|intestazione fattura",
}
BUYER = {
    "en": "sold to|customer|purchaser|ordered by",  # "Buyer" is mostly a person
    "de": "auftraggeber|kunde|besteller|kaufer",
    "fr": "client|acheteur|donneur d ordre|commande par",
    "nl": "klant|koper|opdrachtgever|besteld door",
    "es": "cliente|comprador",
    "it": "cliente|committente|acquirente",
}
SHIP_TO = {
    "en": "ship to|deliver to|delivery address|shipping address|ship to address|consignee|delivery to",
    "de": "lieferadresse|lieferanschrift|liefern an|warenempfanger|versandadresse|lieferung an|"
          "lieferort|bitte liefern sie an|liefern sie an|anlieferadresse",
    "fr": "adresse de livraison|livrer a|livraison a|lieu de livraison|adresse livraison",
    "nl": "afleveradres|leveradres|afleveren aan|leveren aan|bezorgadres|leveringsadres",
    "es": "direccion de envio|direccion de entrega|enviar a|entregar a|lugar de entrega|entregar en",
    "it": "indirizzo di consegna|indirizzo di spedizione|consegnare a|spedire a|luogo di consegna|"
          "destinazione merce|destinazione",
}
SUPPLIER = {
    "en": "supplier|vendor|seller|from|remit to|buy from vendor|vendor address", "de": "lieferant|"
                                                                                       "verkaufer|absender",
    "fr": "fournisseur|vendeur|emetteur", "nl": "leverancier|verkoper", "es": "proveedor|vendedor",
    "it": "fornitore|venditore",
}
OTHER = {  # labels whose values are not read, known so their values are never taken for another field
    "en": "due date|payment terms|terms|page|contact|phone|tel|email|e mail|vat no|vat number|tax id|"
          "payment due|incoterms|your reference|our reference|reference|ref|po box|p o box",
    "de": "lieferantennr|lieferanten nr|zahlungsziel|zahlungsbedingungen|seite|telefon|ansprechpartner|"
          "ust id|ust idnr|faellig|"
          "ihre referenz|unsere referenz|referenz|lieferbedingungen|falligkeit",
    "fr": "echeance|conditions de paiement|page|telephone|contact|tva intracommunautaire|reference|"
          "date d echeance|conditions de livraison",
    "nl": "vervaldatum|betalingsvoorwaarden|pagina|telefoon|contactpersoon|btw nummer|referentie|"
          "uw referentie|onze referentie|uw ref",
    "es": "vencimiento|condiciones de pago|forma de pago|pagina|telefono|contacto|nif|cif|referencia",
    "it": "scadenza|condizioni di pagamento|pagamento|pagina|telefono|contatto|partita iva|p iva|riferimento",
}
HEADER_FIELDS = {
    "document_number": DOCUMENT_NUMBER, "document_date": DOCUMENT_DATE, "delivery_date": DELIVERY_DATE,
    "customer_number": CUSTOMER_NUMBER, "currency": CURRENCY, "bill_to": BILL_TO, "buyer": BUYER,
    "ship_to": SHIP_TO, "supplier": SUPPLIER, "other": OTHER,
}
