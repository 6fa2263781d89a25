"""The labels of a line-item table's column headers, of the rows below or inside it that are no product
(totals, tax, carried forward) and of document titles, per language, normalised as in header_vocabulary."""

COLUMNS = {
    "position": {"en": "pos|line|#|no|ln|item #", "de": "pos|position|lfd nr|nr", "fr": "pos|ligne|no",
                 "nl": "pos|regel|nr", "es": "pos|linea|no|n", "it": "pos|riga|n|nr"},
    "code": {"en": "item no|item code|item number|sku|product code|part no|part number|part #|article|"
                   "article no|code|ref|reference|product no|catalog no|item|product id|ean|gtin|barcode|upc|"
                   "ean code",
             "de": "artikel|artikelnummer|art nr|artikel nr|artikelnr|materialnummer|material|"
                   "sachnummer|mat nr|material nr|materialnr",
             "fr": "ref|reference|article|code article|code|ref article|code produit",
             "nl": "artikel|artikelnummer|artikelnr|art nr|code|artikelcode|productcode",
             "es": "codigo|referencia|ref|articulo|cod|codigo articulo|cod articulo",
             "it": "codice|cod|articolo|codice articolo|rif|cod art"},
    "customer_part": {"en": "customer part no|customer item|customer ref|customer part number|cust part no|"
                            "cust part|customer part|cust ref|cust item no",
                      "de": "kunden art nr|kunden art|kundenartikel", "fr": "ref client",
                      "nl": "klantref|klant ref",
                      "es": "ref cliente|cod cliente", "it": "cod cliente|codice cliente"},
    # whose code "your" and "our" mean depends on who writes: a buyer's PO or a seller's invoice
    "your_code": {"en": "your ref|your part no|your item no|your code|your part number|vendor part no|"
                        "supplier part no|vendor item|supplier item|vendor ref|supplier ref",
                  "de": "ihre art nr|ihre artikelnummer|ihre artikel nr|lieferanten art nr|ihre ref",
                  "fr": "votre ref|votre reference|ref fournisseur",
                  "nl": "uw art nr|uw artikelnummer|uw ref",
                  "es": "su ref|su referencia|ref proveedor",
                  "it": "vs codice|vostro codice|vs rif|cod fornitore"},
    "our_code": {"en": "our ref|our part no|our part number|our item no|our code", "de": "unsere art nr",
                 "fr": "notre ref", "nl": "onze ref", "es": "nuestra ref", "it": "ns codice|nostro codice"},
    "description": {"en": "description|item description|product description|product name|designation|"
                          "details|name|product|goods|article description",
                    "de": "bezeichnung|beschreibung|artikelbezeichnung|produkt|text|artikelbeschreibung|"
                          "leistung",
                    "fr": "designation|description|libelle|produit",
                    "nl": "omschrijving|beschrijving|artikelomschrijving|product|artikel omschrijving",
                    "es": "descripcion|concepto|producto|denominacion",
                    "it": "descrizione|prodotto|descrizione articolo|denominazione"},
    "quantity": {"en": "qty|quantity|qty ordered|ordered|units|qnty|quan", "de": "menge|anzahl|stuck|stk|"
                 "bestellmenge|anz", "fr": "qte|quantite|qt|qte commandee", "nl": "aantal|hoeveelheid|aant",
                 "es": "cantidad|cant|uds|unidades|ctd", "it": "quantita|qta|q ta|qt|quant"},
    "unit": {"en": "unit|uom|u m|unit of measure", "de": "einheit|me|eh", "fr": "unite|u", "nl": "eenheid|eh",
             "es": "unidad|ud|u", "it": "unita|um|u m|udm"},
    "unit_price": {"en": "unit price|price|unit cost|price each|price per unit|rate|each|net price|"
                         "unit net|unit price excl vat|price unit",
                   "de": "einzelpreis|preis|e preis|stuckpreis|ep|preis je einheit|einzelpreis netto|"
                         "preis einheit|preis stk",
                   "fr": "prix unitaire|prix unit|pu|p u|prix|prix u|prix unitaire ht|pu ht",
                   "nl": "stukprijs|prijs|eenheidsprijs|prijs per stuk|prijs per eenheid",
                   "es": "precio unitario|precio|precio unit|p unit|precio ud|precio unidad",
                   "it": "prezzo unitario|prezzo|prezzo unit|p unit|prezzo cad"},
    "amount": {"en": "amount|total|line total|net amount|extended|ext price|total price|value|net value|"
                     "ext cost|"
                     "extended cost|extended price|ext amount|extension|total cost|line amount|"
                     "amount excl vat|subtotal",
               "de": "betrag|gesamt|gesamtpreis|summe|gesamtbetrag|wert|nettobetrag|gesamt netto|nettowert|"
                     "gesamtwert|positionswert",
               "fr": "montant|total|montant ht|total ht|prix total|total ligne",
               "nl": "bedrag|totaal|totaalprijs|regeltotaal|totaal bedrag",
               "es": "importe|total|importe total|subtotal",
               "it": "importo|totale|importo totale|totale riga"},
    "vat_rate": {"en": "vat %|tax %|vat|tax|taxes", "de": "mwst %|ust %|mwst|ust", "fr": "tva %|tva|"
                                                                                         "taux tva|taxes",
                 "nl": "btw %|btw", "es": "iva %|iva", "it": "iva %|iva|aliquota"},
    "date": {"en": "date|delivery date|due date|ship date|need by", "de": "liefertermin|lieferdatum|termin",
             "fr": "date prevue|date de livraison|date", "nl": "leverdatum|datum", "es": "fecha entrega|"
                                                                                         "fecha",
             "it": "data consegna|data"},
    "discount_rate": {"en": "disc %|discount %|disc|discount", "de": "rabatt %|rabatt",
                      "fr": "remise %|remise",
                      "nl": "korting %|korting", "es": "dto %|dto|descuento", "it": "sconto %|sconto"},
}
TOTALS = {
    "carried_forward": {"en": "carried forward|brought forward|carry forward|balance forward|carried over",
                        "de": "ubertrag|vortrag|zwischenubertrag", "fr": "report|a reporter|reporte",
                        "nl": "transport|over te brengen", "es": "suma y sigue|suma anterior|transporte",
                        "it": "riporto|da riportare|a riportare"},
    "subtotal": {"en": "subtotal|sub total|net total|total net|total excl vat|total before tax|net amount|"
                       "goods total|total excl tax",
                 "de": "zwischensumme|nettobetrag|summe netto|netto|warenwert|gesamt netto|nettosumme|"
                       "gesamtbetrag netto|summe|gesamtnettowert|nettowert|gesamtnettobetrag",
                 "fr": "sous total|total ht|montant ht|total hors taxes|montant hors taxes",
                 "nl": "subtotaal|totaal excl btw|netto bedrag|totaal exclusief btw|subtotaal excl btw",
                 "es": "subtotal|base imponible|total neto|suma", "it": "subtotale|imponibile|"
                       "totale imponibile|totale netto|totale merce"},
    "discount": {"en": "discount|less discount", "de": "rabatt|nachlass", "fr": "remise", "nl": "korting",
                 "es": "descuento", "it": "sconto"},
    "tax": {"en": "vat|tax|sales tax|gst", "de": "mwst|ust|mehrwertsteuer|umsatzsteuer|zzgl mwst|"
                                                 "zzgl ust|zzgl|zuzuglich",
            "fr": "tva|montant tva", "nl": "btw", "es": "iva", "it": "iva|imposta"},
    "shipping": {"en": "shipping|freight|delivery|shipping and handling|carriage|postage|shipping handling|"
                       "delivery charge|delivery charges|shipping charge|shipping charges|freight charge",
                 "de": "versand|versandkosten|fracht|frachtkosten|porto|lieferkosten|verpackung und versand",
                 "fr": "frais de port|frais de livraison|port|frais d expedition|frais de transport",
                 "nl": "verzendkosten|vrachtkosten|verzending|bezorgkosten",
                 "es": "envio|gastos de envio|portes|transporte y envio",
                 "it": "spedizione|spese di spedizione|trasporto|spese di trasporto"},
    "total": {"en": "total|grand total|total due|amount due|total amount|invoice total|order total|"
                    "total incl vat|balance due",
              "de": "gesamtbetrag|gesamtsumme|endbetrag|rechnungsbetrag|bruttobetrag|gesamt|"
                    "gesamtbetrag brutto|summe brutto|gesamt brutto|zu zahlen",
              "fr": "total ttc|montant ttc|net a payer|total|montant total|total general",
              "nl": "totaal|totaal incl btw|te betalen|totaalbedrag|totaal inclusief btw|eindtotaal",
              "es": "total|importe total|total a pagar|total factura|total pedido",
              "it": "totale|totale documento|totale fattura|totale ordine|totale da pagare|totale generale"},
}
TITLES = {
    "purchase_order": {"en": "purchase order|order|po", "de": "bestellung|einkaufsbestellung|auftrag",
                       "fr": "bon de commande|commande", "nl": "bestelling|inkooporder|bestelbon|order",
                       "es": "orden de compra|pedido|nota de pedido|hoja de pedido|pedido a proveedor|"
                             "pedido de compra",
                       "it": "ordine|ordine d acquisto|ordine di acquisto|ordine fornitore|"
                             "ordine a fornitore"},
    "invoice": {"en": "invoice|tax invoice|commercial invoice", "de": "rechnung", "fr": "facture",
                "nl": "factuur", "es": "factura", "it": "fattura"},
    "other": {"en": "quotation|quote|delivery note|credit note|order confirmation|packing slip",
              "de": "angebot|lieferschein|gutschrift|auftragsbestatigung",
              "fr": "devis|bon de livraison|avoir|confirmation de commande",
              "nl": "offerte|pakbon|creditnota|orderbevestiging",
              "es": "presupuesto|albaran|nota de credito|confirmacion de pedido",
              "it": "preventivo|bolla|ddt|nota di credito|conferma d ordine"},
}
