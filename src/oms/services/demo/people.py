"""Names and street names of France, Germany, Belgium and the Netherlands, for believable
customers."""

FIRST_NAMES = {
    "FR": ("Camille", "Léa", "Manon", "Chloé", "Emma", "Inès", "Sarah", "Julie", "Marie", "Claire", "Sophie",
           "Élodie", "Pauline", "Lucie", "Anaïs", "Nathalie", "Isabelle", "Hugo", "Lucas", "Thomas",
           "Nicolas", "Julien", "Maxime", "Antoine", "Alexandre", "Pierre", "Louis", "Mathieu", "Romain",
           "Guillaume", "Quentin", "Baptiste", "Théo", "Olivier", "Sébastien", "François", "Laurent",
           "Aurélie", "Margaux"),
    "DE": ("Anna", "Lena", "Laura", "Julia", "Sarah", "Lisa", "Katharina", "Sophie", "Marie", "Hannah", "Lea",
           "Johanna", "Sabine", "Claudia", "Petra", "Andrea", "Lukas", "Leon", "Finn", "Jonas", "Paul",
           "Felix", "Maximilian", "Tim", "Jan", "Niklas", "Tobias", "Florian", "Stefan", "Michael", "Andreas",
           "Christian", "Markus", "Sebastian", "Matthias", "Jürgen", "Birgit", "Ute"),
    "BE": ("Emma", "Louise", "Olivia", "Elise", "Marie", "Lotte", "Noor", "Julie", "Charlotte", "Sofie",
           "Lucas", "Arthur", "Noah", "Louis", "Jules", "Victor", "Adam", "Liam", "Wout", "Pieter", "Thomas",
           "Maxime", "Bram", "Jan", "Ine", "Hanne"),
    "NL": ("Emma", "Julia", "Sophie", "Tess", "Sara", "Anna", "Fleur", "Lisa", "Eva", "Sanne", "Daan", "Sem",
           "Lucas", "Levi", "Bram", "Finn", "Milan", "Thijs", "Jesse", "Ruben", "Stijn", "Lars", "Joost",
           "Pieter", "Anouk", "Maud"),
}

LAST_NAMES = {
    "FR": ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
           "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent",
           "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet", "François",
           "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry",
           "Roussel", "Perrin", "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine",
           "Chevalier", "Robin", "Masson", "Sanchez", "Boyer", "Denis", "Lemaire", "Duval", "Joly"),
    "DE": ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
           "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
           "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner",
           "Schmitz", "Krause", "Meier", "Lehmann", "Schmid", "Schulze", "Maier", "Köhler", "Herrmann",
           "König", "Walter", "Mayer", "Huber", "Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Möller",
           "Weiß", "Jung", "Hahn", "Vogel"),
    "BE": ("Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters",
           "De Smet", "Dubois", "Lambert", "Dupont", "Martin", "Simon", "Vermeulen", "Van Damme", "De Backer",
           "Leclercq", "Hermans", "Desmet", "Michiels", "Lemmens", "Renard", "Lejeune", "Verhoeven"),
    "NL": ("de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit",
           "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen",
           "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "Kok"),
}

# Street names, and whether the house number comes first ("12 rue Pasteur") or last ("Hauptstraße 12").
STREETS = {
    "FR": (True, ("rue Victor Hugo", "avenue Jean Jaurès", "rue de la République", "boulevard Gambetta",
                  "rue Pasteur", "rue du Général de Gaulle", "rue des Lilas", "chemin des Vignes",
                  "allée des Tilleuls", "rue Émile Zola", "avenue de la Gare", "rue du Moulin")),
    "DE": (False, ("Hauptstraße", "Schulstraße", "Gartenstraße", "Bahnhofstraße", "Dorfstraße", "Bergstraße",
                   "Birkenweg", "Lindenstraße", "Kirchstraße", "Goethestraße", "Schillerstraße", "Am Markt")),
    "BE": (False, ("Rue de la Station", "Kerkstraat", "Stationsstraat", "Rue du Moulin", "Dorpsstraat",
                   "Avenue Louise", "Molenstraat", "Rue de l'Église", "Chaussée de Waterloo")),
    "NL": (False, ("Kerkstraat", "Schoolstraat", "Molenweg", "Dorpsstraat", "Julianastraat", "Beatrixlaan",
                   "Prinsengracht", "Stationsweg", "Emmalaan")),
}

# Business customers: (pattern, country). {city} and {name} are filled in per customer.
BUSINESSES = (
    ("Club Alpin Français – section {city}", "FR"),
    ("Lycée {name} de {city}", "FR"),
    ("{name} Montagne SARL", "FR"),
    ("Camping des Pins – {city}", "FR"),
    ("Alpenverein Sektion {city}", "DE"),
    ("{name} Bergsport GmbH", "DE"),
    ("Sportverein {city} e.V.", "DE"),
    ("Scouts {city}", "BE"),
    ("{name} Outdoor BV", "NL"),
)
