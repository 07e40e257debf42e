//! The generator's fixed vocabulary: municipalities and their pools and
//! areas, disciplines with their profiles, expertise fields, phase templates,
//! and the word lists that fictional names are composed from.

/// A municipality the generator can place people and projects in.
pub struct Municipality {
    pub name: &'static str,
    /// Used inside project names ("Den Bosch" rather than "'s-Hertogenbosch").
    pub short: &'static str,
    /// Relative size of its development staff.
    pub weight: f64,
    /// The large-scale housing area its projects belong to.
    pub area: &'static str,
    /// Its province (the `region` pooling mode groups by it).
    pub province: &'static str,
}

const fn m(
    name: &'static str,
    short: &'static str,
    weight: f64,
    area: &'static str,
    province: &'static str,
) -> Municipality {
    Municipality {
        name,
        short,
        weight,
        area,
        province,
    }
}

/// In this order the first M are taken; the first three hold a pool pair.
pub const MUNICIPALITIES: [Municipality; 20] = [
    m("Oss", "Oss", 4.0, "Oss-Den Bosch", "Noord-Brabant"),
    m(
        "'s-Hertogenbosch",
        "Den Bosch",
        6.0,
        "Oss-Den Bosch",
        "Noord-Brabant",
    ),
    m(
        "Eindhoven",
        "Eindhoven",
        9.0,
        "Brainport Eindhoven",
        "Noord-Brabant",
    ),
    m(
        "Veldhoven",
        "Veldhoven",
        3.0,
        "Brainport Eindhoven",
        "Noord-Brabant",
    ),
    m(
        "Tilburg",
        "Tilburg",
        7.0,
        "Tilburg Spoorzone-Noord",
        "Noord-Brabant",
    ),
    m("Utrecht", "Utrecht", 11.0, "Utrecht Centraal", "Utrecht"),
    m(
        "Den Haag",
        "Den Haag",
        12.0,
        "Den Haag Centrum-Binckhorst",
        "Zuid-Holland",
    ),
    m(
        "Rotterdam",
        "Rotterdam",
        13.0,
        "Rotterdam Zuid",
        "Zuid-Holland",
    ),
    m(
        "Amersfoort",
        "Amersfoort",
        6.0,
        "Amersfoort Spoorzone",
        "Utrecht",
    ),
    m("Zwolle", "Zwolle", 5.0, "Zwolle Spoorzone", "Overijssel"),
    m(
        "Delft",
        "Delft",
        4.0,
        "Delft Campus-Spoorzone",
        "Zuid-Holland",
    ),
    m(
        "Haarlemmermeer",
        "Hoofddorp",
        5.0,
        "Haarlemmermeer-West",
        "Noord-Holland",
    ),
    m(
        "Dordrecht",
        "Dordrecht",
        4.0,
        "Drechtsteden Spoorzone",
        "Zuid-Holland",
    ),
    m("Arnhem", "Arnhem", 6.0, "Arnhem-Nijmegen", "Gelderland"),
    m("Ede", "Ede", 4.0, "FoodValley", "Gelderland"),
    m("Veenendaal", "Veenendaal", 3.0, "FoodValley", "Utrecht"),
    m(
        "Groningen",
        "Groningen",
        8.0,
        "Groningen Zuidoost",
        "Groningen",
    ),
    m("Nijmegen", "Nijmegen", 6.0, "Arnhem-Nijmegen", "Gelderland"),
    m("Breda", "Breda", 6.0, "West-Brabant", "Noord-Brabant"),
    m(
        "Roosendaal",
        "Roosendaal",
        3.0,
        "West-Brabant",
        "Noord-Brabant",
    ),
];

/// Pool agreements between neighbouring municipalities (indices above).
/// A pool is written only when at least two of its members are present.
pub const POOLS: [(&str, &[usize]); 6] = [
    ("Oss-Den Bosch", &[0, 1]),
    ("Brainport", &[2, 3]),
    ("Haaglanden", &[6, 10]),
    ("Rijnmond-Drechtsteden", &[7, 12]),
    ("Arnhem-FoodValley", &[13, 14, 15]),
    ("West-Brabant", &[18, 19]),
];

// Cluster order as in the domain: opgave, omgeving, chaos, eigenaarschap,
// verbinden.
pub const OPGAVE: usize = 0;
pub const OMGEVING: usize = 1;
pub const CHAOS: usize = 2;
pub const EIGENAARSCHAP: usize = 3;
pub const VERBINDEN: usize = 4;

/// Expertise fields; the `true` ones are scarce in the network.
pub const FIELDS: [(&str, bool); 12] = [
    ("stikstof", true),
    ("KRW", true),
    ("netcongestie", true),
    ("kostenverhaal", false),
    ("participatie", false),
    ("grondexploitatie", false),
    ("bodem", false),
    ("mobiliteit", false),
    ("woningbouwprogrammering", false),
    ("omgevingswet", false),
    ("flora-en-fauna", false),
    ("geluid", false),
];

pub const STIKSTOF: usize = 0;
pub const KRW: usize = 1;
pub const NETCONGESTIE: usize = 2;
pub const KOSTENVERHAAL: usize = 3;
pub const PARTICIPATIE: usize = 4;
pub const GREX: usize = 5;
pub const BODEM: usize = 6;
pub const MOBILITEIT: usize = 7;
pub const PROGRAMMERING: usize = 8;
pub const OMGEVINGSWET: usize = 9;
pub const FLORA: usize = 10;
pub const GELUID: usize = 11;

/// A discipline: who has it, what a slot of it looks like, what it knows.
pub struct Discipline {
    pub id: &'static str,
    /// A "blue profession": scarce on purpose.
    pub blue: bool,
    /// Hours per week of one slot before calibration, drawn uniformly; all
    /// multiples of 4.
    pub slot_hours: &'static [u32],
    /// Fewest and most hours per week of one slot after calibration: the
    /// core team of an area works (nearly) full time on it, specialists
    /// serve several teams a few hours each.
    pub min_hours: u32,
    pub max_hours: u32,
    /// Weights of a role line asking 1, 2 or 3 people: one almost always,
    /// three only for the large roles.
    pub counts: [f64; 3],
    /// A specialist: small slots in many teams, so a higher project limit.
    pub specialist: bool,
    /// Offsets of the mean cluster score from the scale's centre.
    pub profile: [f64; 5],
    /// Expertise fields people of this discipline tend to have (weights).
    pub fields: &'static [(usize, f64)],
    /// Chance that a role line of this discipline asks for one of `fields`.
    pub role_expertise: f64,
    /// Disciplines that make a plausible second one.
    pub related: &'static [usize],
}

impl Discipline {
    /// Most people one role line of this discipline asks for.
    pub fn max_count(&self) -> u32 {
        self.counts.iter().rposition(|&w| w > 0.0).unwrap_or(0) as u32 + 1
    }
}

pub const PROJECTLEIDER: usize = 0;
pub const GEBIEDSREGISSEUR: usize = 1;
pub const STEDENBOUWKUNDIGE: usize = 2;
pub const PLANECONOOM: usize = 3;
pub const VERGUNNING: usize = 4;
pub const OMGEVINGSMANAGER: usize = 5;
pub const SOCIAAL: usize = 6;
pub const JURIST: usize = 7;
pub const MILIEU: usize = 8;
pub const VERKEER: usize = 9;
pub const ENERGIE: usize = 10;

pub const DISCIPLINES: [Discipline; 11] = [
    Discipline {
        id: "projectleider",
        blue: false,
        slot_hours: &[16, 20, 20, 24, 24, 28],
        min_hours: 16,
        max_hours: 32,
        counts: [1.0, 0.0, 0.0],
        specialist: false,
        profile: [0.5, 0.0, 0.0, 1.5, 0.5],
        fields: &[
            (PROGRAMMERING, 2.0),
            (GREX, 1.0),
            (PARTICIPATIE, 1.0),
            (OMGEVINGSWET, 1.0),
        ],
        role_expertise: 0.05,
        related: &[GEBIEDSREGISSEUR, OMGEVINGSMANAGER],
    },
    Discipline {
        id: "gebiedsregisseur",
        blue: false,
        slot_hours: &[8, 12, 16, 20],
        min_hours: 8,
        max_hours: 24,
        counts: [0.92, 0.08, 0.0],
        specialist: false,
        profile: [0.5, 1.0, 0.5, 0.5, 1.5],
        fields: &[(PARTICIPATIE, 2.0), (PROGRAMMERING, 2.0), (MOBILITEIT, 0.5)],
        role_expertise: 0.15,
        related: &[PROJECTLEIDER, OMGEVINGSMANAGER, SOCIAAL],
    },
    Discipline {
        id: "stedenbouwkundige",
        blue: false,
        slot_hours: &[12, 16, 20, 24],
        min_hours: 8,
        max_hours: 32,
        counts: [0.7, 0.25, 0.05],
        specialist: false,
        profile: [0.5, 0.0, 1.5, 0.0, 0.5],
        fields: &[
            (PROGRAMMERING, 3.0),
            (MOBILITEIT, 1.5),
            (GELUID, 0.5),
            (FLORA, 0.5),
            (KRW, 0.3),
        ],
        role_expertise: 0.2,
        related: &[VERKEER, GEBIEDSREGISSEUR],
    },
    Discipline {
        id: "planeconoom",
        blue: true,
        slot_hours: &[8, 8, 12, 16],
        min_hours: 4,
        max_hours: 16,
        counts: [0.85, 0.15, 0.0],
        specialist: true,
        profile: [1.5, -0.5, -1.0, 0.5, 0.0],
        fields: &[(KOSTENVERHAAL, 3.0), (GREX, 3.0), (PROGRAMMERING, 1.0)],
        role_expertise: 0.4,
        related: &[PROJECTLEIDER, JURIST],
    },
    Discipline {
        id: "vergunningspecialist",
        blue: true,
        slot_hours: &[8, 8, 12, 16],
        min_hours: 4,
        max_hours: 16,
        counts: [0.85, 0.15, 0.0],
        specialist: true,
        profile: [1.0, -0.5, -1.5, 0.5, 0.0],
        fields: &[
            (OMGEVINGSWET, 3.0),
            (STIKSTOF, 1.0),
            (GELUID, 1.5),
            (BODEM, 1.0),
            (FLORA, 0.7),
        ],
        role_expertise: 0.35,
        related: &[JURIST, MILIEU],
    },
    Discipline {
        id: "omgevingsmanager",
        blue: false,
        slot_hours: &[12, 16, 20, 24],
        min_hours: 8,
        max_hours: 32,
        counts: [0.72, 0.24, 0.04],
        specialist: false,
        profile: [0.0, 2.0, 0.5, 0.0, 1.5],
        fields: &[(PARTICIPATIE, 3.0), (OMGEVINGSWET, 1.0), (MOBILITEIT, 0.5)],
        role_expertise: 0.2,
        related: &[SOCIAAL, GEBIEDSREGISSEUR],
    },
    Discipline {
        id: "sociaal makelaar",
        blue: false,
        slot_hours: &[8, 12, 16],
        min_hours: 8,
        max_hours: 20,
        counts: [0.85, 0.15, 0.0],
        specialist: true,
        profile: [0.5, 1.5, 0.5, -0.5, 1.5],
        fields: &[(PARTICIPATIE, 3.0), (PROGRAMMERING, 0.7)],
        role_expertise: 0.2,
        related: &[OMGEVINGSMANAGER],
    },
    Discipline {
        id: "jurist",
        blue: false,
        slot_hours: &[4, 8, 8, 12],
        min_hours: 4,
        max_hours: 12,
        counts: [0.95, 0.05, 0.0],
        specialist: true,
        profile: [0.5, -0.5, -1.0, 0.5, -0.5],
        fields: &[(OMGEVINGSWET, 3.0), (KOSTENVERHAAL, 1.5), (STIKSTOF, 0.5)],
        role_expertise: 0.3,
        related: &[VERGUNNING],
    },
    Discipline {
        id: "milieuadviseur",
        blue: false,
        slot_hours: &[8, 8, 12, 16],
        min_hours: 4,
        max_hours: 16,
        counts: [0.88, 0.12, 0.0],
        specialist: true,
        profile: [1.0, 0.0, -0.5, 0.0, 0.0],
        fields: &[
            (STIKSTOF, 1.5),
            (BODEM, 2.0),
            (GELUID, 2.0),
            (KRW, 1.0),
            (FLORA, 1.5),
        ],
        role_expertise: 0.45,
        related: &[VERGUNNING, ENERGIE, VERKEER],
    },
    Discipline {
        id: "verkeerskundige",
        blue: false,
        slot_hours: &[8, 12, 16],
        min_hours: 4,
        max_hours: 16,
        counts: [0.9, 0.1, 0.0],
        specialist: true,
        profile: [0.5, 0.0, 0.0, 0.0, 0.5],
        fields: &[(MOBILITEIT, 3.0), (GELUID, 1.0)],
        role_expertise: 0.3,
        related: &[STEDENBOUWKUNDIGE, ENERGIE],
    },
    Discipline {
        id: "energieadviseur",
        blue: false,
        slot_hours: &[4, 8, 8, 12],
        min_hours: 4,
        max_hours: 12,
        counts: [0.95, 0.05, 0.0],
        specialist: true,
        profile: [1.0, 0.0, 1.0, 0.5, 0.0],
        fields: &[(NETCONGESTIE, 2.0), (MOBILITEIT, 0.5), (BODEM, 0.5)],
        role_expertise: 0.45,
        related: &[MILIEU, VERKEER, STEDENBOUWKUNDIGE],
    },
];

/// True when `a` and `b` make a plausible pair of disciplines for one
/// person (either lists the other as related).
pub fn related(a: usize, b: usize) -> bool {
    a != b && (DISCIPLINES[a].related.contains(&b) || DISCIPLINES[b].related.contains(&a))
}

/// A phase kind: how long it lasts, which clusters it needs, who works in it.
pub struct PhaseKind {
    pub name: &'static str,
    /// Fewest and most months, whole quarters: portfolios are planned by
    /// the quarter.
    pub months: (i64, i64),
    pub clusters: &'static [usize],
    /// Role lines of a phase team, the project leader included (fewest,
    /// most): an initiative is a small core team, plan-making the widest.
    pub lines: (i64, i64),
    /// Disciplines besides the project leader, with draw weights.
    pub roles: &'static [(usize, f64)],
}

pub const PHASES: [PhaseKind; 5] = [
    PhaseKind {
        name: "initiatief",
        months: (6, 12),
        clusters: &[CHAOS, OPGAVE, VERBINDEN],
        lines: (4, 5),
        roles: &[
            (GEBIEDSREGISSEUR, 6.0),
            (STEDENBOUWKUNDIGE, 6.0),
            (PLANECONOOM, 3.0),
            (OMGEVINGSMANAGER, 4.0),
            (SOCIAAL, 3.0),
            (ENERGIE, 2.0),
            (VERKEER, 2.0),
        ],
    },
    PhaseKind {
        name: "visie",
        months: (9, 15),
        clusters: &[CHAOS, OPGAVE, VERBINDEN],
        lines: (4, 6),
        roles: &[
            (STEDENBOUWKUNDIGE, 8.0),
            (GEBIEDSREGISSEUR, 4.0),
            (OMGEVINGSMANAGER, 5.0),
            (SOCIAAL, 4.0),
            (VERKEER, 4.0),
            (MILIEU, 3.0),
            (PLANECONOOM, 3.0),
            (ENERGIE, 2.0),
        ],
    },
    PhaseKind {
        name: "planvorming",
        months: (12, 24),
        clusters: &[VERBINDEN, OMGEVING],
        lines: (5, 7),
        roles: &[
            (STEDENBOUWKUNDIGE, 6.0),
            (PLANECONOOM, 6.0),
            (OMGEVINGSMANAGER, 5.0),
            (MILIEU, 5.0),
            (VERKEER, 4.0),
            (JURIST, 3.0),
            (ENERGIE, 3.0),
            (VERGUNNING, 3.0),
        ],
    },
    PhaseKind {
        name: "besluitvorming",
        months: (9, 15),
        clusters: &[EIGENAARSCHAP, OMGEVING],
        lines: (4, 6),
        roles: &[
            (PLANECONOOM, 6.0),
            (VERGUNNING, 6.0),
            (JURIST, 6.0),
            (OMGEVINGSMANAGER, 5.0),
            (MILIEU, 3.0),
            (STEDENBOUWKUNDIGE, 2.0),
        ],
    },
    PhaseKind {
        name: "realisatie",
        months: (24, 48),
        clusters: &[OPGAVE, EIGENAARSCHAP],
        lines: (4, 6),
        roles: &[
            (VERGUNNING, 5.0),
            (OMGEVINGSMANAGER, 6.0),
            (SOCIAAL, 4.0),
            (GEBIEDSREGISSEUR, 4.0),
            (PLANECONOOM, 2.0),
            (VERKEER, 3.0),
            (JURIST, 2.0),
            (STEDENBOUWKUNDIGE, 2.0),
        ],
    },
];

/// Deelgebieden: a large area is developed in parts, each with its own
/// phase chain, so a project runs several phase teams at once. A project
/// with more than one names its phases after them ("planvorming Noord").
pub const DEELGEBIEDEN: [&str; 6] = ["Noord", "Zuid", "Oost", "West", "Midden", "Oever"];

// Fictional names are composed from these lists; any match with a real
// person is a coincidence of common Dutch names.
pub const FIRST_NAMES: [&str; 48] = [
    "Sanne",
    "Daan",
    "Joost",
    "Anouk",
    "Bram",
    "Lotte",
    "Esther",
    "Ruben",
    "Iris",
    "Thijs",
    "Noor",
    "Sem",
    "Eva",
    "Kees",
    "Ingrid",
    "Jeroen",
    "Marloes",
    "Wouter",
    "Femke",
    "Bas",
    "Lieke",
    "Tim",
    "Maaike",
    "Pieter",
    "Sophie",
    "Koen",
    "Linda",
    "Gerrit",
    "Hanneke",
    "Jasper",
    "Mirjam",
    "Niels",
    "Annelies",
    "Roel",
    "Judith",
    "Martijn",
    "Carlijn",
    "Frank",
    "Petra",
    "Hugo",
    "Willemijn",
    "Stijn",
    "Marieke",
    "Erik",
    "Ilse",
    "Sjoerd",
    "Lisanne",
    "Maarten",
];

pub const LAST_NAMES: [&str; 48] = [
    "de Vries",
    "Bakker",
    "Jansen",
    "van den Berg",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "Kok",
    "Jacobs",
    "van Dijk",
    "Willems",
    "van der Linden",
    "Verhoeven",
    "Koster",
    "Prins",
    "Huisman",
    "Kuipers",
    "Schouten",
    "van Wijk",
    "Post",
    "Timmermans",
    "Maas",
    "Groen",
    "van Beek",
    "Kramer",
    "Vermeulen",
    "de Haan",
    "Hoekstra",
    "van Dam",
    "Verbeek",
    "Lammers",
    "Bosman",
    "Wolters",
];

pub const FIRST_NAMES_2: [&str; 24] = [
    "Fatima", "Mohamed", "Yusuf", "Ayse", "Hamza", "Nadia", "Rachid", "Samira", "Mehmet", "Emre",
    "Priya", "Dewi", "Soufiane", "Ilham", "Bilal", "Zeynep", "Anjali", "Rajesh", "Wei", "Tamara",
    "Kwame", "Naima", "Karim", "Sevda",
];

pub const LAST_NAMES_2: [&str; 22] = [
    "El Amrani",
    "Yilmaz",
    "Bouzid",
    "Kaya",
    "Tahiri",
    "Ait Ouali",
    "Demir",
    "Ramdin",
    "Soekhoe",
    "Tjon",
    "Chaoui",
    "Ozturk",
    "Mahabier",
    "Lie",
    "Kartosen",
    "Baldew",
    "Benali",
    "Aydin",
    "Haddou",
    "Mensah",
    "Chen",
    "Boukhari",
];

/// Fictional housing corporations and adviser firms, one of each per
/// municipality.
pub const CORPORATIONS: [&str; 20] = [
    "Woonstichting Maaskant",
    "Dommeldal Wonen",
    "Woongroep Eikenburg",
    "Woonstichting Vijverhof",
    "Rivierzicht Wonen",
    "Woonstichting Het Baken",
    "Zuiderlicht Wonen",
    "Woongroep De Linde",
    "Woonstichting Hofstede",
    "Beekhuizen Wonen",
    "Woongroep Polderpoort",
    "Woonstichting Ruimzicht",
    "Waalkade Wonen",
    "Woongroep Kempenland",
    "Woonstichting Singelwijk",
    "Lindenhage Wonen",
    "Woongroep Nieuwe Haven",
    "Woonstichting De Brug",
    "Veldhof Wonen",
    "Woongroep Dijkzicht",
];

pub const FIRMS: [&str; 20] = [
    "Stadkracht Advies",
    "Bureau Ruimtewerk",
    "Plankompas Gebiedsontwikkeling",
    "Gebiedslab Advies",
    "Bureau Koersvast",
    "Bouwsteen Advies",
    "Stadsvorm Gebiedsontwikkeling",
    "Bureau Grondslag",
    "Omgevingskracht Advies",
    "Bureau Stadsweefsel",
    "Planwerk Advies",
    "Bureau Middenveld",
    "Ruimtelijn Advies",
    "Bureau Stadsoever",
    "Koerswerk Gebiedsontwikkeling",
    "Bureau Dwarsverband",
    "Wijkkracht Advies",
    "Bureau Plangrond",
    "Zichtlijn Advies",
    "Bureau Kaderwerk",
];

/// "<Short> <suffix>", e.g. "Oss Stationsgebied".
pub const SUFFIXES: [&str; 16] = [
    "Stationsgebied",
    "Centrum-Oost",
    "Centrum-West",
    "Binnenstad-Noord",
    "Zuidoever",
    "Noordoever",
    "Stadsoevers",
    "Kanaalzone",
    "Havenkwartier",
    "Kazernekwartier",
    "Veilingterrein",
    "Fabriekskwartier",
    "Singelzone",
    "Ringzone-Oost",
    "Stadspoort",
    "Beekdal",
];

/// "<prefix> <Short>", e.g. "Spoorzone Oss".
pub const PREFIXES: [&str; 10] = [
    "Spoorzone",
    "Stadshavens",
    "Stadskwartier",
    "Binnenhaven",
    "Stadsentree",
    "Havenfront",
    "Kanaaloever",
    "Stationskwartier",
    "Centrumschil",
    "Stadsrand",
];

/// Invented compound area names: stem + tail, e.g. "Molenkwartier".
pub const STEMS: [&str; 30] = [
    "Molen", "Haven", "Linden", "Beek", "Veld", "Water", "Brug", "Zuider", "Noorder", "Ooster",
    "Wester", "Kasteel", "Fabriek", "Spoor", "Kade", "Wilgen", "Eiken", "Vliet", "Dijk", "Singel",
    "Markt", "Kazerne", "Veiling", "Gasthuis", "Ambacht", "Zilver", "Rozen", "Schans", "Lucht",
    "Sluis",
];

pub const TAILS: [&str; 15] = [
    "kwartier", "park", "werf", "eiland", "kade", "poort", "hof", "oever", "zone", "wijk", "dok",
    "terrein", "buurt", "hoven", "plein",
];
