// IANA time zones by country, for the countries in countries.ts.
//
// Single-zone: one legal time applies to the whole country (as ISO 3166-1 draws it: Greenland, the Faroes,
// Svalbard, Réunion and so on have codes of their own), so the country alone gives the zone.
// Multi-zone: the country alone does not. libphonenumber-js ships no time-zone metadata (Google's Java/C++
// library does, the JS port leaves it out), so a phone number cannot narrow it either; only a city that lies
// wholly in one zone can. The city lists are a small SUBSET of business centres, and names that exist in two
// zones of the same country (Portland, Springfield, Richmond, Arlington…) are left out on purpose.
//
// Zones are written with their current IANA names; the caller maps them to the spelling the runtime's Intl
// lists (ICU still says "Asia/Calcutta" for "Asia/Kolkata").

export const singleZoneCountries: Readonly<Record<string, string>> = {
  // Europe
  GB: 'Europe/London', IE: 'Europe/Dublin', DE: 'Europe/Berlin', AT: 'Europe/Vienna', CH: 'Europe/Zurich',
  LI: 'Europe/Vaduz', FR: 'Europe/Paris', BE: 'Europe/Brussels', NL: 'Europe/Amsterdam', LU: 'Europe/Luxembourg',
  MC: 'Europe/Monaco', IT: 'Europe/Rome', MT: 'Europe/Malta', GR: 'Europe/Athens', CY: 'Asia/Nicosia',
  DK: 'Europe/Copenhagen', SE: 'Europe/Stockholm', NO: 'Europe/Oslo', FI: 'Europe/Helsinki', IS: 'Atlantic/Reykjavik',
  EE: 'Europe/Tallinn', LV: 'Europe/Riga', LT: 'Europe/Vilnius', PL: 'Europe/Warsaw', CZ: 'Europe/Prague',
  SK: 'Europe/Bratislava', HU: 'Europe/Budapest', RO: 'Europe/Bucharest', BG: 'Europe/Sofia', HR: 'Europe/Zagreb',
  SI: 'Europe/Ljubljana', RS: 'Europe/Belgrade', UA: 'Europe/Kyiv', TR: 'Europe/Istanbul',
  // Middle East and Africa
  IL: 'Asia/Jerusalem', AE: 'Asia/Dubai', SA: 'Asia/Riyadh', QA: 'Asia/Qatar', EG: 'Africa/Cairo',
  MA: 'Africa/Casablanca', ZA: 'Africa/Johannesburg', NG: 'Africa/Lagos', KE: 'Africa/Nairobi',
  // Asia (China and Kazakhstan have one legal time each, since 1949 and 2024)
  IN: 'Asia/Kolkata', PK: 'Asia/Karachi', BD: 'Asia/Dhaka', LK: 'Asia/Colombo', SG: 'Asia/Singapore',
  MY: 'Asia/Kuala_Lumpur', TH: 'Asia/Bangkok', VN: 'Asia/Ho_Chi_Minh', PH: 'Asia/Manila', CN: 'Asia/Shanghai',
  HK: 'Asia/Hong_Kong', TW: 'Asia/Taipei', JP: 'Asia/Tokyo', KR: 'Asia/Seoul', KZ: 'Asia/Almaty',
  // Americas
  AR: 'America/Argentina/Buenos_Aires', CO: 'America/Bogota', PE: 'America/Lima', UY: 'America/Montevideo',
  CR: 'America/Costa_Rica', PA: 'America/Panama',
};

export type CityZones = { readonly zone: string; readonly cities: readonly string[] };

export const multiZoneCountryCities: Readonly<Record<string, readonly CityZones[]>> = {
  US: [
    { zone: 'America/New_York', cities: ['New York', 'New York City', 'NYC', 'Manhattan', 'Brooklyn', 'Boston', 'Philadelphia', 'Washington', 'Washington DC', 'Washington D.C.', 'Baltimore', 'Pittsburgh', 'Atlanta', 'Miami', 'Orlando', 'Tampa', 'Jacksonville', 'Charlotte', 'Raleigh', 'Durham', 'Cleveland', 'Cincinnati', 'Columbus', 'Stamford', 'Hartford', 'Newark', 'Jersey City', 'Providence', 'Buffalo', 'Cambridge'] },
    { zone: 'America/Detroit', cities: ['Detroit', 'Ann Arbor', 'Grand Rapids'] },
    { zone: 'America/Indiana/Indianapolis', cities: ['Indianapolis'] },
    { zone: 'America/Chicago', cities: ['Chicago', 'Dallas', 'Houston', 'Austin', 'San Antonio', 'Fort Worth', 'Minneapolis', 'Saint Paul', 'St. Louis', 'Saint Louis', 'Kansas City', 'Milwaukee', 'Madison', 'Nashville', 'Memphis', 'New Orleans', 'Oklahoma City', 'Omaha', 'Des Moines'] },
    { zone: 'America/Denver', cities: ['Denver', 'Boulder', 'Salt Lake City', 'Albuquerque', 'Colorado Springs'] },
    { zone: 'America/Boise', cities: ['Boise'] },
    { zone: 'America/Phoenix', cities: ['Phoenix', 'Scottsdale', 'Tempe', 'Tucson'] },
    { zone: 'America/Los_Angeles', cities: ['Los Angeles', 'LA', 'San Francisco', 'SF', 'San Jose', 'San Diego', 'Oakland', 'Sacramento', 'Palo Alto', 'Mountain View', 'Menlo Park', 'Santa Clara', 'Sunnyvale', 'Cupertino', 'Redwood City', 'Irvine', 'Santa Monica', 'Seattle', 'Bellevue', 'Redmond', 'Tacoma', 'Las Vegas'] },
    { zone: 'America/Anchorage', cities: ['Anchorage'] },
    { zone: 'Pacific/Honolulu', cities: ['Honolulu'] },
  ],
  CA: [
    { zone: 'America/Toronto', cities: ['Toronto', 'Ottawa', 'Montreal', 'Montréal', 'Quebec City', 'Québec', 'Mississauga', 'Waterloo', 'Kitchener', 'Hamilton', 'London', 'Markham', 'Laval', 'Gatineau'] },
    { zone: 'America/Vancouver', cities: ['Vancouver', 'Victoria', 'Burnaby', 'Surrey', 'Kelowna'] },
    { zone: 'America/Edmonton', cities: ['Calgary', 'Edmonton'] },
    { zone: 'America/Regina', cities: ['Regina', 'Saskatoon'] },
    { zone: 'America/Winnipeg', cities: ['Winnipeg'] },
    { zone: 'America/Halifax', cities: ['Halifax', 'Fredericton', 'Moncton', 'Charlottetown'] },
    { zone: 'America/St_Johns', cities: ["St. John's", 'Saint Johns', "St John's"] },
  ],
  MX: [
    { zone: 'America/Mexico_City', cities: ['Mexico City', 'Ciudad de México', 'CDMX', 'Guadalajara', 'Puebla', 'Querétaro', 'León'] },
    { zone: 'America/Monterrey', cities: ['Monterrey', 'Saltillo'] },
    { zone: 'America/Tijuana', cities: ['Tijuana', 'Mexicali', 'Ensenada'] },
    { zone: 'America/Cancun', cities: ['Cancún', 'Cancun', 'Playa del Carmen'] },
    { zone: 'America/Merida', cities: ['Mérida', 'Merida'] },
    { zone: 'America/Hermosillo', cities: ['Hermosillo'] },
    { zone: 'America/Chihuahua', cities: ['Chihuahua'] },
    { zone: 'America/Mazatlan', cities: ['Mazatlán', 'Mazatlan', 'Culiacán'] },
  ],
  BR: [
    { zone: 'America/Sao_Paulo', cities: ['São Paulo', 'Sao Paulo', 'Rio de Janeiro', 'Rio', 'Brasília', 'Brasilia', 'Belo Horizonte', 'Curitiba', 'Porto Alegre', 'Campinas', 'Florianópolis', 'Goiânia', 'Vitória'] },
    { zone: 'America/Bahia', cities: ['Salvador'] },
    { zone: 'America/Recife', cities: ['Recife', 'João Pessoa', 'Natal'] },
    { zone: 'America/Fortaleza', cities: ['Fortaleza', 'São Luís', 'Teresina'] },
    { zone: 'America/Belem', cities: ['Belém', 'Belem'] },
    { zone: 'America/Manaus', cities: ['Manaus'] },
    { zone: 'America/Cuiaba', cities: ['Cuiabá', 'Cuiaba'] },
    { zone: 'America/Campo_Grande', cities: ['Campo Grande'] },
  ],
  CL: [
    { zone: 'America/Santiago', cities: ['Santiago', 'Santiago de Chile', 'Valparaíso', 'Viña del Mar', 'Concepción', 'Antofagasta'] },
    { zone: 'America/Punta_Arenas', cities: ['Punta Arenas'] },
  ],
  ES: [
    { zone: 'Europe/Madrid', cities: ['Madrid', 'Barcelona', 'Valencia', 'Sevilla', 'Seville', 'Bilbao', 'Málaga', 'Zaragoza', 'Palma', 'Palma de Mallorca', 'Alicante', 'Murcia', 'Valladolid', 'Vigo', 'San Sebastián', 'Donostia'] },
    { zone: 'Atlantic/Canary', cities: ['Las Palmas', 'Las Palmas de Gran Canaria', 'Santa Cruz de Tenerife', 'Tenerife', 'Gran Canaria'] },
  ],
  PT: [
    { zone: 'Europe/Lisbon', cities: ['Lisbon', 'Lisboa', 'Porto', 'Oporto', 'Braga', 'Coimbra', 'Faro', 'Aveiro'] },
    { zone: 'Atlantic/Madeira', cities: ['Funchal'] },
    { zone: 'Atlantic/Azores', cities: ['Ponta Delgada'] },
  ],
  RU: [
    { zone: 'Europe/Moscow', cities: ['Moscow', 'Moskva', 'Москва', 'Saint Petersburg', 'St. Petersburg', 'Sankt-Peterburg', 'Санкт-Петербург', 'Kazan', 'Nizhny Novgorod'] },
    { zone: 'Europe/Kaliningrad', cities: ['Kaliningrad'] },
    { zone: 'Europe/Samara', cities: ['Samara'] },
    { zone: 'Asia/Yekaterinburg', cities: ['Yekaterinburg', 'Ekaterinburg'] },
    { zone: 'Asia/Omsk', cities: ['Omsk'] },
    { zone: 'Asia/Novosibirsk', cities: ['Novosibirsk'] },
    { zone: 'Asia/Krasnoyarsk', cities: ['Krasnoyarsk'] },
    { zone: 'Asia/Irkutsk', cities: ['Irkutsk'] },
    { zone: 'Asia/Vladivostok', cities: ['Vladivostok'] },
  ],
  AU: [
    { zone: 'Australia/Sydney', cities: ['Sydney', 'Canberra', 'Newcastle', 'Wollongong'] },
    { zone: 'Australia/Melbourne', cities: ['Melbourne', 'Geelong'] },
    { zone: 'Australia/Brisbane', cities: ['Brisbane', 'Gold Coast', 'Sunshine Coast', 'Townsville', 'Cairns'] },
    { zone: 'Australia/Adelaide', cities: ['Adelaide'] },
    { zone: 'Australia/Perth', cities: ['Perth'] },
    { zone: 'Australia/Hobart', cities: ['Hobart'] },
    { zone: 'Australia/Darwin', cities: ['Darwin'] },
  ],
  NZ: [
    { zone: 'Pacific/Auckland', cities: ['Auckland', 'Wellington', 'Christchurch', 'Hamilton', 'Tauranga', 'Dunedin'] },
  ],
  ID: [
    { zone: 'Asia/Jakarta', cities: ['Jakarta', 'Bandung', 'Surabaya', 'Semarang', 'Medan', 'Yogyakarta', 'Tangerang', 'Bekasi'] },
    { zone: 'Asia/Makassar', cities: ['Denpasar', 'Bali', 'Makassar', 'Balikpapan'] },
    { zone: 'Asia/Jayapura', cities: ['Jayapura'] },
  ],
};

// Current IANA names and the older spellings ICU (and so Node's Intl) may still list instead.
export const zoneAliases: Readonly<Record<string, readonly string[]>> = {
  'Asia/Kolkata': ['Asia/Calcutta'],
  'Asia/Ho_Chi_Minh': ['Asia/Saigon'],
  'Asia/Kathmandu': ['Asia/Katmandu'],
  'Asia/Yangon': ['Asia/Rangoon'],
  'Europe/Kyiv': ['Europe/Kiev'],
  'America/Argentina/Buenos_Aires': ['America/Buenos_Aires'],
  'America/Indiana/Indianapolis': ['America/Indianapolis'],
  'Atlantic/Faroe': ['Atlantic/Faeroe'],
  'Pacific/Honolulu': ['US/Hawaii'],
};
