// Country names people type into forms and CRMs, mapped to ISO 3166-1 codes. A shipped SUBSET of ISO 3166-1
// (about 80 countries that matter most for B2B sales), each with its alpha-3 code, English name, local names
// and common variants (plus a few German, French and Spanish exonyms). Not a gazetteer: anything missing here
// comes out as "unknown" (null), never as a guess. Lookups ignore case, accents, dots and a leading "the".

export type CountryEntry = {
  readonly alpha2: string;
  readonly alpha3: string;
  // names[0] is the English short name; the rest are local names and common variants.
  readonly names: readonly string[];
};

export const countries: readonly CountryEntry[] = [
  // North America
  { alpha2: 'US', alpha3: 'USA', names: ['United States', 'United States of America', 'U.S.', 'U.S.A.', 'America', 'EEUU', 'EE.UU.', 'Estados Unidos', 'Vereinigte Staaten', 'États-Unis'] },
  { alpha2: 'CA', alpha3: 'CAN', names: ['Canada', 'Kanada', 'Canadá'] },
  { alpha2: 'MX', alpha3: 'MEX', names: ['Mexico', 'México', 'Mexiko', 'Mexique'] },

  // Latin America
  { alpha2: 'BR', alpha3: 'BRA', names: ['Brazil', 'Brasil', 'Brasilien', 'Brésil'] },
  { alpha2: 'AR', alpha3: 'ARG', names: ['Argentina', 'Argentinien', 'Argentine'] },
  { alpha2: 'CL', alpha3: 'CHL', names: ['Chile', 'Chili'] },
  { alpha2: 'CO', alpha3: 'COL', names: ['Colombia', 'Kolumbien', 'Colombie'] },
  { alpha2: 'PE', alpha3: 'PER', names: ['Peru', 'Perú', 'Pérou'] },
  { alpha2: 'UY', alpha3: 'URY', names: ['Uruguay'] },
  { alpha2: 'CR', alpha3: 'CRI', names: ['Costa Rica'] },
  { alpha2: 'PA', alpha3: 'PAN', names: ['Panama', 'Panamá'] },

  // Western Europe
  { alpha2: 'GB', alpha3: 'GBR', names: ['United Kingdom', 'UK', 'U.K.', 'Great Britain', 'Britain', 'United Kingdom of Great Britain and Northern Ireland', 'England', 'Scotland', 'Wales', 'Northern Ireland', 'Vereinigtes Königreich', 'Großbritannien', 'Grossbritannien', 'Royaume-Uni', 'Reino Unido'] },
  { alpha2: 'IE', alpha3: 'IRL', names: ['Ireland', 'Republic of Ireland', 'Éire', 'Irland', 'Irlande', 'Irlanda'] },
  { alpha2: 'DE', alpha3: 'DEU', names: ['Germany', 'Deutschland', 'Federal Republic of Germany', 'Bundesrepublik Deutschland', 'BRD', 'Allemagne', 'Alemania', 'Germania'] },
  { alpha2: 'AT', alpha3: 'AUT', names: ['Austria', 'Österreich', 'Oesterreich', 'Autriche'] },
  { alpha2: 'CH', alpha3: 'CHE', names: ['Switzerland', 'Schweiz', 'Suisse', 'Svizzera', 'Suiza', 'Confoederatio Helvetica'] },
  { alpha2: 'LI', alpha3: 'LIE', names: ['Liechtenstein'] },
  { alpha2: 'FR', alpha3: 'FRA', names: ['France', 'Frankreich', 'Francia'] },
  { alpha2: 'BE', alpha3: 'BEL', names: ['Belgium', 'Belgique', 'België', 'Belgien', 'Bélgica'] },
  { alpha2: 'NL', alpha3: 'NLD', names: ['Netherlands', 'Nederland', 'Holland', 'Niederlande', 'Pays-Bas', 'Países Bajos'] },
  { alpha2: 'LU', alpha3: 'LUX', names: ['Luxembourg', 'Luxemburg', 'Lëtzebuerg', 'Luxemburgo'] },
  { alpha2: 'MC', alpha3: 'MCO', names: ['Monaco'] },

  // Southern Europe
  { alpha2: 'ES', alpha3: 'ESP', names: ['Spain', 'España', 'Spanien', 'Espagne'] },
  { alpha2: 'PT', alpha3: 'PRT', names: ['Portugal'] },
  { alpha2: 'IT', alpha3: 'ITA', names: ['Italy', 'Italia', 'Italien', 'Italie'] },
  { alpha2: 'MT', alpha3: 'MLT', names: ['Malta', 'Malte'] },
  { alpha2: 'GR', alpha3: 'GRC', names: ['Greece', 'Hellas', 'Ελλάδα', 'Griechenland', 'Grèce', 'Grecia'] },
  { alpha2: 'CY', alpha3: 'CYP', names: ['Cyprus', 'Κύπρος', 'Zypern', 'Chypre', 'Chipre'] },

  // Nordics and Baltics
  { alpha2: 'DK', alpha3: 'DNK', names: ['Denmark', 'Danmark', 'Dänemark', 'Danemark', 'Dinamarca'] },
  { alpha2: 'SE', alpha3: 'SWE', names: ['Sweden', 'Sverige', 'Schweden', 'Suède', 'Suecia'] },
  { alpha2: 'NO', alpha3: 'NOR', names: ['Norway', 'Norge', 'Noreg', 'Norwegen', 'Norvège', 'Noruega'] },
  { alpha2: 'FI', alpha3: 'FIN', names: ['Finland', 'Suomi', 'Finnland', 'Finlande', 'Finlandia'] },
  { alpha2: 'IS', alpha3: 'ISL', names: ['Iceland', 'Ísland', 'Island', 'Islande', 'Islandia'] },
  { alpha2: 'EE', alpha3: 'EST', names: ['Estonia', 'Eesti', 'Estland'] },
  { alpha2: 'LV', alpha3: 'LVA', names: ['Latvia', 'Latvija', 'Lettland'] },
  { alpha2: 'LT', alpha3: 'LTU', names: ['Lithuania', 'Lietuva', 'Litauen'] },

  // Central and Eastern Europe
  { alpha2: 'PL', alpha3: 'POL', names: ['Poland', 'Polska', 'Polen', 'Pologne', 'Polonia'] },
  { alpha2: 'CZ', alpha3: 'CZE', names: ['Czechia', 'Czech Republic', 'Česko', 'Česká republika', 'Tschechien', 'Tchéquie', 'Chequia'] },
  { alpha2: 'SK', alpha3: 'SVK', names: ['Slovakia', 'Slovensko', 'Slowakei', 'Slovaquie'] },
  { alpha2: 'HU', alpha3: 'HUN', names: ['Hungary', 'Magyarország', 'Ungarn', 'Hongrie', 'Hungría'] },
  { alpha2: 'RO', alpha3: 'ROU', names: ['Romania', 'România', 'Rumänien', 'Roumanie', 'Rumania'] },
  { alpha2: 'BG', alpha3: 'BGR', names: ['Bulgaria', 'България', 'Bulgarien', 'Bulgarie'] },
  { alpha2: 'HR', alpha3: 'HRV', names: ['Croatia', 'Hrvatska', 'Kroatien', 'Croatie'] },
  { alpha2: 'SI', alpha3: 'SVN', names: ['Slovenia', 'Slovenija', 'Slowenien', 'Slovénie'] },
  { alpha2: 'RS', alpha3: 'SRB', names: ['Serbia', 'Srbija', 'Serbien', 'Serbie'] },
  { alpha2: 'UA', alpha3: 'UKR', names: ['Ukraine', 'Україна', 'Ucrania'] },
  { alpha2: 'RU', alpha3: 'RUS', names: ['Russia', 'Russian Federation', 'Россия', 'Rossiya', 'Russland', 'Russie', 'Rusia'] },
  { alpha2: 'TR', alpha3: 'TUR', names: ['Turkey', 'Türkiye', 'Turkiye', 'Türkei', 'Turquie', 'Turquía'] },

  // Middle East and Africa
  { alpha2: 'IL', alpha3: 'ISR', names: ['Israel', 'ישראל', 'Israël'] },
  { alpha2: 'AE', alpha3: 'ARE', names: ['United Arab Emirates', 'UAE', 'U.A.E.', 'Emirates', 'Vereinigte Arabische Emirate', 'Émirats arabes unis', 'Emiratos Árabes Unidos'] },
  { alpha2: 'SA', alpha3: 'SAU', names: ['Saudi Arabia', 'KSA', 'Kingdom of Saudi Arabia', 'Saudi-Arabien', 'Arabie saoudite', 'Arabia Saudita'] },
  { alpha2: 'QA', alpha3: 'QAT', names: ['Qatar', 'Katar'] },
  { alpha2: 'EG', alpha3: 'EGY', names: ['Egypt', 'Ägypten', 'Égypte', 'Egipto'] },
  { alpha2: 'MA', alpha3: 'MAR', names: ['Morocco', 'Maroc', 'Marokko', 'Marruecos'] },
  { alpha2: 'ZA', alpha3: 'ZAF', names: ['South Africa', 'Südafrika', 'Afrique du Sud', 'Sudáfrica', 'RSA'] },
  { alpha2: 'NG', alpha3: 'NGA', names: ['Nigeria'] },
  { alpha2: 'KE', alpha3: 'KEN', names: ['Kenya', 'Kenia'] },

  // Asia
  { alpha2: 'IN', alpha3: 'IND', names: ['India', 'Bharat', 'Indien', 'Inde'] },
  { alpha2: 'PK', alpha3: 'PAK', names: ['Pakistan'] },
  { alpha2: 'BD', alpha3: 'BGD', names: ['Bangladesh', 'Bangladesch'] },
  { alpha2: 'LK', alpha3: 'LKA', names: ['Sri Lanka'] },
  { alpha2: 'SG', alpha3: 'SGP', names: ['Singapore', 'Singapur', 'Singapour'] },
  { alpha2: 'MY', alpha3: 'MYS', names: ['Malaysia', 'Malaisie', 'Malasia'] },
  { alpha2: 'ID', alpha3: 'IDN', names: ['Indonesia', 'Indonesien', 'Indonésie'] },
  { alpha2: 'TH', alpha3: 'THA', names: ['Thailand', 'Thaïlande', 'Tailandia'] },
  { alpha2: 'VN', alpha3: 'VNM', names: ['Vietnam', 'Viet Nam', 'Việt Nam'] },
  { alpha2: 'PH', alpha3: 'PHL', names: ['Philippines', 'Pilipinas', 'Philippinen', 'Filipinas'] },
  { alpha2: 'CN', alpha3: 'CHN', names: ['China', "People's Republic of China", 'PRC', '中国', 'Chine'] },
  { alpha2: 'HK', alpha3: 'HKG', names: ['Hong Kong', 'Hongkong', '香港'] },
  { alpha2: 'TW', alpha3: 'TWN', names: ['Taiwan', '台灣', '台湾', 'Taïwan', 'Taiwán'] },
  { alpha2: 'JP', alpha3: 'JPN', names: ['Japan', '日本', 'Nippon', 'Nihon', 'Japon', 'Japón'] },
  { alpha2: 'KR', alpha3: 'KOR', names: ['South Korea', 'Korea', 'Republic of Korea', 'Korea, Republic of', '대한민국', '한국', 'Südkorea', 'Corée du Sud', 'Corea del Sur'] },
  { alpha2: 'KZ', alpha3: 'KAZ', names: ['Kazakhstan', 'Қазақстан', 'Kasachstan'] },

  // Oceania
  { alpha2: 'AU', alpha3: 'AUS', names: ['Australia', 'Australien', 'Australie'] },
  { alpha2: 'NZ', alpha3: 'NZL', names: ['New Zealand', 'Aotearoa', 'Neuseeland', 'Nouvelle-Zélande', 'Nueva Zelanda'] },
];
