// A messy B2B contact set with known duplicates, for bench/identity.ts (issue #11). Deterministic: the same seed
// and size give the same records. People work at companies (legal forms, several domains, switchboards); each
// person is written down once or several times, and every further record of a person (a duplicate) gets one to
// three of the damages listed in `DamageKind`, drawn by weight. The lists of nicknames, spellings and
// transliterations here are this file's own, written from common usage, not copied from the resolver's tables
// (domain/data/): where the two differ, the benchmark shows it as lost recall.
//
// Hard negatives come with the data: namesakes (names are drawn with a skew, so "Thomas Müller" and "John Smith"
// repeat), colleagues who share a company, domain, title and country, companies whose names share a word ("Atlas
// Logistik" / "Atlas Software"), switchboard numbers that colleagues share, and a few shared mailboxes
// (info@, sales@) used by several people.
import type { PersonRecord } from '../../domain/identity-resolution.ts';

export type DamageKind =
  | 'nickname' // Robert → Bob, Katharina → Katja
  | 'spelling' // Müller → Mueller / Muller, Sergey → Sergei / Сергей, García → Garcia
  | 'typo' // one letter dropped, doubled, swapped or hit next to it on the keyboard, in a name
  | 'initial' // given name as "J."
  | 'swapped' // given and family name swapped (a surname-first list)
  | 'case' // MÜLLER, or all lower case
  | 'given_missing' // no given name
  | 'name_part' // Hans-Peter → Hans Peter / Hans, García López → García
  | 'private_email' // a free-mail address instead of the work one
  | 'other_alias' // another work address pattern at the same domain (j.mueller@ for juergen.mueller@)
  | 'no_email'
  | 'job_change' // a new company: name, domain, address, phone and maybe title all differ
  | 'company_variant' // legal form dropped or changed, case, "Deutschland" added, typo
  | 'title_variant' // another way to write the title, or a promotion one step up
  | 'fields_missing' // phone, title, company, country or domain left empty
  | 'linkedin_variant' // the same profile under another URL form
  | 'country_variant'; // DE / Germany / Deutschland

export type GeneratedContacts = {
  records: PersonRecord[];
  // Ids of the records of each person who has more than one.
  duplicateGroups: string[][];
  // The damages each duplicate record got (absent for a person's first record).
  damages: Map<string, DamageKind[]>;
  persons: number;
  companies: number;
  sharedMailboxRecords: number;
};

// ---------------------------------------------------------------------------------------------------------------
// Seeded randomness (mulberry32): deterministic and fast enough for a million draws.

type Random = {
  next: () => number;
  int: (from: number, to: number) => number; // inclusive
  chance: (p: number) => boolean;
  pick: <T>(values: readonly T[]) => T;
  skewed: <T>(values: readonly T[], offset?: number) => T; // weight 1/(i + offset): the head repeats a lot
  weighted: <T>(entries: readonly (readonly [T, number])[]) => T;
};

function randomFrom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const cumulative = new Map<readonly unknown[], { offset: number; sums: number[] }>();
  const skewed = <T>(values: readonly T[], offset = 3): T => {
    let table = cumulative.get(values);
    if (table === undefined || table.offset !== offset) {
      let sum = 0;
      table = { offset, sums: values.map((_, i) => (sum += 1 / (i + offset))) };
      cumulative.set(values, table);
    }
    const target = next() * (table.sums[table.sums.length - 1] ?? 0);
    let low = 0;
    let high = table.sums.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((table.sums[middle] ?? 0) < target) low = middle + 1;
      else high = middle;
    }
    return values[low] as T;
  };
  return {
    next,
    int: (from, to) => from + Math.floor(next() * (to - from + 1)),
    chance: (p) => next() < p,
    pick: (values) => values[Math.floor(next() * values.length)] as (typeof values)[number],
    skewed,
    weighted: (entries) => {
      const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
      let target = next() * total;
      for (const [value, weight] of entries) {
        target -= weight;
        if (target < 0) return value;
      }
      return entries[entries.length - 1]?.[0] as (typeof entries)[number][0];
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Names. A name is written "Primary|variant|variant" (other spellings and transliterations, Cyrillic included)
// and, for given names, "…/nickname/nickname".

type CultureCode = 'de' | 'en' | 'fr' | 'es' | 'ru' | 'tr' | 'nl' | 'pl' | 'nordic';
type Name = { primary: string; variants: readonly string[]; nicknames: readonly string[] };

function names(list: string): Name[] {
  return list
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const [spellings = '', ...nicknames] = entry.split('/');
      const [primary = '', ...variants] = spellings.split('|');
      return { primary, variants, nicknames };
    });
}

// Most frequent first: names are drawn with a skew towards the head, as in real contact lists.
const cultures: Record<CultureCode, { given: Name[]; family: Name[]; emailSpelling: 'expand' | 'strip' }> = {
  de: {
    emailSpelling: 'expand',
    given: names(`Thomas/Tom, Michael/Michi, Andreas/Andi, Stefan|Stephan, Hans-Peter, Christian/Chris, Jürgen, Katrin|Catrin, Sabine/Bine,
      Alexander/Alex/Sascha, Maximilian/Max, Katharina/Kathi/Katja, Sebastian/Basti, Tobias/Tobi, Matthias|Mathias, Julia, Anna,
      Lena, Felix, Jonas, Lukas|Lucas, Stefanie|Stephanie/Steffi, Susanne/Susi, Wolfgang/Wolf, Joachim/Achim, Friedrich/Fritz,
      Johannes/Hannes, Elisabeth/Lisa/Elli, Jörg, Björn, Günther|Günter, Sören, Uwe, Klaus|Claus, Ursula/Uschi, Franziska/Franzi,
      Florian/Flo, Gabriele/Gabi, Cornelia/Conny, Heinrich/Heinz, Wilhelm/Willi, Anna-Lena, Karl-Heinz, Dörte, Käthe,
      Jürgen-Michael, Margarete/Grete, Nikolaus/Klaus, Sarah|Sara, Martina, Birgit, Ralf|Ralph, Dirk, Holger, Jens, Kai|Kay`),
    family: names(`Müller|Mueller, Schmidt|Schmitt, Schneider, Fischer, Weber, Meyer|Meier|Maier, Wagner, Becker, Schulz, Hoffmann|Hofmann,
      Schäfer, Koch, Bauer, Richter, Klein, Wolf|Wolff, Schröder, Neumann, Schwarz, Zimmermann, Braun, Krüger, Hartmann, Lange,
      Werner, Schmitz, Krause, Lehmann, Schulze, Köhler, Herrmann, König, Walter, Huber, Kaiser, Fuchs, Peters, Lang, Scholz,
      Möller, Weiß|Weiss, Jung, Hahn, Schubert, Vogel, Friedrich, Keller, Günther, Frank, Berger, Winkler, Roth, Beck, Lorenz,
      Baumann, Franke, Albrecht, Schuster, Ludwig, Böhm, Winter, Kraus, Schumacher, Krämer, Vogt, Stein, Jäger, Otto, Sommer,
      Groß|Gross, Seidel, Heinrich, Brandt, Haas, Schreiber, Graf, Dietrich, Ziegler, Kühn, Pohl, Engel, Horn, Busch, Bergmann,
      Voigt, Sauer, Arnold, Pfeiffer, von der Heide, Obermüller, Löwenthal, Eßer|Esser, zu Guttenberg, Dreßler|Dressler`),
  },
  en: {
    emailSpelling: 'strip',
    given: names(`James/Jim/Jimmy, John/Johnny/Jack, Robert/Bob/Rob, Michael/Mike, William/Bill/Will, David/Dave, Richard/Rick/Rich,
      Joseph/Joe, Thomas/Tom, Christopher/Chris, Daniel/Dan/Danny, Matthew/Matt, Anthony/Tony, Andrew/Andy/Drew, Steven|Stephen/Steve,
      Edward/Ed/Ted, Elizabeth/Liz/Beth, Jennifer/Jen/Jenny, Katherine|Catherine|Kathryn/Kate/Kathy, Margaret/Maggie/Peggy,
      Patricia/Pat/Trish, Susan/Sue, Rebecca/Becky, Deborah/Deb/Debbie, Victoria/Vicky/Tori, Samantha/Sam, Jessica/Jess,
      Benjamin/Ben, Alexander/Alex, Nicholas/Nick, Timothy/Tim, Gregory/Greg, Jeffrey|Geoffrey/Jeff, Kenneth/Ken, Ronald/Ron,
      Lawrence/Larry, Abigail/Abby, Samuel/Sam, Jacob/Jake, Frederick/Fred, Philip|Phillip/Phil, Raymond/Ray, Douglas/Doug,
      Stephanie/Steph, Nathaniel/Nate, Zachary/Zach, Kimberly/Kim, Cynthia/Cindy, Emily, Sarah, Laura, Mark, Paul, Peter/Pete,
      Olivia/Liv, Charlotte/Charlie, Sean|Shaun, Brian|Bryan, Megan|Meghan, Aaron, Ashley`),
    family: names(`Smith, Johnson, Williams, Brown, Jones, Miller, Davis, Wilson, Anderson, Taylor, Moore, Jackson, Martin, Lee,
      Thompson, White, Harris, Clark, Lewis, Robinson, Walker, Young, Allen, King, Wright, Scott, Hill, Green, Adams, Baker, Nelson,
      Carter, Mitchell, Roberts, Turner, Phillips, Campbell, Parker, Evans, Edwards, Collins, Stewart, Morris, Murphy, Cook,
      Rogers, O'Brien, O'Neil|O'Neill, McDonald|MacDonald, MacLeod, Fitzgerald, Gray|Grey, Reid|Reed, Thomson, Hughes, Price,
      Bennett, Wood, Barnes, Ross, Henderson, Cole, Jenkins, Perry, Powell, Sullivan, Russell, Fisher, Hamilton, Graham`),
  },
  fr: {
    emailSpelling: 'strip',
    given: names(`Jean, Pierre, Jean-Luc, Nicolas/Nico, Julien, Olivier, François, Frédéric/Fred, Stéphane, Jérôme, Éric|Eric, Benoît,
      Christophe/Chris, Alexandre/Alex, Hélène, Céline, Amélie, Noémie, Élodie, Camille, Marie, Isabelle/Isa, Nathalie, Sophie,
      Marie-Claire, Jean-François, Anne-Sophie, Guillaume, Sébastien/Seb, Mathilde, Aurélie, Thibault|Thibaut`),
    family: names(`Martin, Bernard, Dubois, Thomas, Robert, Richard, Petit, Durand, Leroy, Moreau, Simon, Laurent, Lefèvre|Lefebvre,
      Michel, Garcia, David, Bertrand, Roux, Vincent, Fournier, Morel, Girard, André, Mercier, Dupont, Lambert, Bonnet, François,
      Martinez, Legrand, Garnier, Faure, Rousseau, Blanc, Guérin, Muller, Chevalier, Gauthier, Fontaine, Boucher, Duval, Lemaire`),
  },
  es: {
    emailSpelling: 'strip',
    given: names(`José/Pepe, Antonio/Toño, Manuel/Manolo, Francisco/Paco, David, Juan, Javier|Xavier, Jesús/Chuy, Daniel/Dani,
      Alejandro/Alex, María, Carmen, Ana, Laura, Lucía, Sofía, Isabel, Dolores/Lola, Ignacio/Nacho, Enrique/Quique, Raúl, Álvaro,
      Andrés, Ángel, Joaquín, Iñigo|Íñigo, Begoña, Rosario/Charo, Guillermo/Memo, Concepción/Concha, María José, Juan Carlos`),
    family: names(`García, Rodríguez, García López, González, Fernández, López, Martínez, Sánchez, Pérez, Gómez, Martín, Jiménez, Ruiz, Hernández,
      Díaz, Moreno, Muñoz, Álvarez, Romero, Alonso, Gutiérrez, Navarro, Torres, Domínguez, Vázquez, Ramos, Gil, Ramírez,
      Fernández Ruiz, Martínez Soria, Sánchez Vicario, de la Fuente, del Río`),
  },
  ru: {
    emailSpelling: 'strip',
    given: names(`Sergey|Sergei|Сергей, Alexey|Aleksei|Alexei|Алексей/Lyosha, Dmitry|Dmitri|Dmitrii|Дмитрий/Dima,
      Aleksandr|Alexander|Александр/Sasha/Sascha, Mikhail|Michail|Михаил/Misha, Andrey|Andrei|Андрей, Ivan|Иван/Vanya,
      Vladimir|Владимир/Volodya/Vova, Natalya|Natalia|Наталья/Natasha, Ekaterina|Yekaterina|Екатерина/Katya, Yulia|Julia|Iuliia|Юлия,
      Olga|Ольга/Olya, Tatyana|Tatiana|Татьяна/Tanya, Elena|Yelena|Елена/Lena, Anastasia|Anastasiya|Анастасия/Nastya,
      Maria|Mariya|Мария/Masha, Pavel|Павел/Pasha, Nikolay|Nikolai|Николай/Kolya, Yuri|Yury|Iurii|Юрий, Svetlana|Светлана/Sveta`),
    family: names(`Ivanov|Иванов, Smirnov|Смирнов, Kuznetsov|Kusnezow|Кузнецов, Popov|Popow|Попов, Sokolov|Sokolow|Соколов,
      Lebedev|Lebedew|Лебедев, Kozlov|Kozlow|Козлов, Novikov|Nowikow|Новиков, Morozov|Morosow|Морозов, Petrov|Petrow|Петров,
      Volkov|Wolkow|Волков, Solovyov|Soloviev|Solowjow|Соловьёв, Vasiliev|Vasilyev|Wassiljew|Васильев, Zaytsev|Zaitsev|Зайцев,
      Pavlov|Pawlow|Павлов, Fedorov|Fyodorov|Fjodorow|Фёдоров, Mikhailov|Michailow|Михайлов, Zhukov|Schukow|Жуков,
      Shcherbakov|Scherbakov|Щербаков, Orlova|Орлова, Kuznetsova|Кузнецова, Ivanova|Иванова, Petrova|Петрова`),
  },
  tr: {
    emailSpelling: 'strip',
    given: names(`Mehmet, Mustafa, Ahmet, Ali, Hüseyin, Hasan, İbrahim|Ibrahim, Murat, Emre, Ömer, Ayşe, Fatma, Zeynep, Elif, Emine,
      Hatice, Gül, Çağlar, Yusuf, Özlem, Burak, Şule`),
    family: names(`Yılmaz, Kaya, Demir, Şahin, Çelik, Yıldız, Yıldırım, Öztürk, Aydın, Özdemir, Arslan, Doğan, Kılıç, Aslan, Çetin,
      Kara, Koç, Kurt, Özkan, Şimşek`),
  },
  nl: {
    emailSpelling: 'strip',
    given: names(`Jan, Pieter/Piet, Johannes/Hans/Jan, Cornelis/Kees, Willem/Wim, Hendrik/Henk, Jacobus/Koos, Maarten, Joost, Bram,
      Daan, Sanne, Femke, Lotte, Anouk, Eva, Sophie, Thijs, Ruben, Sem`),
    family: names(`de Jong, Jansen|Janssen, de Vries, van den Berg|van der Berg, van Dijk, Bakker, Visser, Smit, Meijer|Meyer,
      de Boer, Mulder, de Groot, Bos, Vos, Peters, Hendriks, van Leeuwen, Dekker, Brouwer, de Wit, Dijkstra, van der Meer`),
  },
  pl: {
    emailSpelling: 'strip',
    given: names(`Piotr/Piotrek, Krzysztof/Krzysiek, Andrzej, Tomasz/Tomek, Paweł, Michał, Marcin, Łukasz, Wojciech/Wojtek,
      Katarzyna/Kasia, Małgorzata/Gosia, Agnieszka/Aga, Joanna/Asia, Aleksandra/Ola, Anna/Ania, Magdalena/Magda, Grzegorz/Grzesiek`),
    family: names(`Nowak, Kowalski, Wiśniewski, Wójcik, Kowalczyk, Kamiński, Lewandowski, Zieliński, Szymański, Woźniak,
      Dąbrowski, Kozłowski, Jankowski, Mazur, Kwiatkowski, Krawczyk, Piotrowski, Grabowski, Nowakowska, Kowalska`),
  },
  nordic: {
    emailSpelling: 'strip',
    given: names(`Lars, Anders, Johan, Erik|Eric, Karl|Carl, Nils, Søren|Sören, Bjørn|Björn, Jørgen|Jörgen, Åsa, Ingrid, Kristin,
      Astrid, Sigrid, Malin, Linnéa|Linnea, Mikael/Micke, Magnus, Henrik, Per`),
    family: names(`Andersson, Johansson, Karlsson|Carlsson, Nilsson, Eriksson, Larsson, Olsson, Persson, Nielsen, Hansen, Jensen,
      Pedersen, Jørgensen|Jörgensen, Østergaard, Lindström, Åberg, Bergström, Sjöberg, Lundqvist|Lundquist, Holm`),
  },
};

// Real surname lists have a long tail: a third of people carry one of the listed (frequent) names, the rest a name
// composed here from parts ("Lindenhofer", "Ashworth", "Karadağ"), so namesakes are about as common as in a real
// list rather than as common as a list of a hundred names would make them. Spanish records often carry two surnames.
const surnameParts: Record<CultureCode, readonly [readonly string[], readonly string[]]> = {
  de: [
    ['Linde', 'Hoch', 'Stein', 'Berg', 'Wald', 'Feld', 'Brunn', 'Eich', 'Ross', 'Kirch', 'Mühl', 'Schön', 'Alt', 'Neu', 'Gold', 'Silber', 'Eisen', 'Rosen', 'Lichten', 'Stern', 'Wein', 'Korn', 'Hagen', 'Bürger', 'Wester', 'Oster', 'Sonnen', 'Tann', 'Fichten', 'Buch', 'Hasel', 'Birken', 'Ahorn', 'Falken', 'Hirsch', 'Bären', 'Wolfs', 'Grün', 'Weiß', 'Roth'],
    ['mann', 'er', 'bauer', 'huber', 'meier', 'berger', 'hofer', 'inger', 'stätter', 'feld', 'hausen', 'bach', 'brunner', 'dorf', 'holz', 'müller', 'schmidt', 'wald', 'thal', 'born'],
  ],
  en: [
    ['Ash', 'Black', 'Brad', 'Craw', 'Hal', 'Whit', 'Wood', 'Brook', 'Fair', 'Hart', 'Stan', 'Thorn', 'Wes', 'Bur', 'Chat', 'Dun', 'Fen', 'Gar', 'Hol', 'Ken', 'Lang', 'Mar', 'Nor', 'Ox', 'Pem', 'Rad', 'Shel', 'Tal', 'Wal', 'Brom', 'Cal', 'Dray', 'Ell', 'Har', 'Lin', 'Mel', 'Pres', 'Ryl', 'Sut', 'Wyn'],
    ['ford', 'ley', 'ton', 'wood', 'worth', 'by', 'field', 'ham', 'well', 'more', 'wick', 'combe', 'ridge', 'shaw', 'stone', 'brook', 'den', 'hurst', 'land', 'low'],
  ],
  fr: [
    ['Beau', 'Belle', 'Bon', 'Chante', 'Clair', 'Du', 'Fon', 'Grand', 'Haut', 'La', 'Le', 'Mont', 'Ro', 'Sainte', 'Ville', 'Bois', 'Cham', 'Dé', 'Mar', 'Lou', 'Ber', 'Cor', 'Gui', 'Mé', 'Pel'],
    ['mont', 'court', 'champ', 'ville', 'val', 'fort', 'bois', 'lac', 'pré', 'roche', 'taine', 'rieux', 'nier', 'chet', 'lard', 'det', 'vin', 'geon'],
  ],
  es: [[], []],
  ru: [
    ['Kuz', 'Bel', 'Gor', 'Sid', 'Mak', 'Ant', 'Tar', 'Kras', 'Zel', 'Kom', 'Bog', 'Dan', 'Gus', 'Yeg', 'Rom', 'Tim', 'Bar', 'Kis', 'Nik', 'Fil', 'Ser', 'Kir', 'Mar', 'Lar', 'Gri', 'Bor', 'Vor', 'Kul', 'Sav', 'Ust'],
    ['ov', 'ev', 'in', 'enko', 'sky', 'akov', 'unov', 'ilov', 'ichev', 'yshev'],
  ],
  tr: [
    ['Ak', 'Kara', 'Öz', 'Yıl', 'Çak', 'Bal', 'Er', 'Gök', 'Tun', 'Ay', 'Kurt', 'Can', 'Tek', 'Şen', 'Demir', 'Taş', 'Uç', 'Kılıç'],
    ['soy', 'taş', 'demir', 'kaya', 'oğlu', 'türk', 'han', 'can', 'er', 'dağ', 'su', 'gül'],
  ],
  nl: [
    ['van Dijk', 'van der Beek', 'van de Veen', 'Hout', 'Broek', 'Bosch', 'van der Meer', 'Dam', 'Horst', 'Vel', 'Kool', 'Smeet', 'Hui', 'Wou', 'Rijk', 'Zwaan', 'Hoog', 'Groen'],
    ['', 'stra', 'ma', 'inga', 'sen', 'man', 'huis', 'kamp', 'veld'],
  ],
  pl: [
    ['Kow', 'Wiś', 'Zieliń', 'Szyman', 'Lewan', 'Dąbrow', 'Kozł', 'Jank', 'Kwiat', 'Piotr', 'Grab', 'Pawł', 'Mich', 'Król', 'Wiecz', 'Jabł', 'Maj', 'Olsz', 'Stęp', 'Sob'],
    ['ski', 'czyk', 'ak', 'ewicz', 'owski', 'ek', 'iak', 'uk'],
  ],
  nordic: [
    ['Lind', 'Berg', 'Sund', 'Holm', 'Dahl', 'Ny', 'Ek', 'Sjö', 'Ström', 'Ahl', 'Fors', 'Hed', 'Lund', 'Eng', 'Wall', 'Sand', 'Hag', 'Norr', 'Ås', 'Bjørk'],
    ['ström', 'berg', 'qvist', 'gren', 'lund', 'dahl', 'man', 'sson', 'by', 'holm', 'gaard', 'sen'],
  ],
};

// ---------------------------------------------------------------------------------------------------------------
// Countries and companies

type Country = { code: string; names: readonly string[]; tld: string; legalForms: readonly string[]; dial: string; culture: CultureCode; weight: number };

const countries: readonly Country[] = [
  { code: 'DE', names: ['Germany', 'Deutschland'], tld: 'de', legalForms: ['GmbH', 'GmbH', 'AG', 'GmbH & Co. KG', 'SE'], dial: '49', culture: 'de', weight: 30 },
  { code: 'AT', names: ['Austria', 'Österreich'], tld: 'at', legalForms: ['GmbH', 'AG'], dial: '43', culture: 'de', weight: 5 },
  { code: 'CH', names: ['Switzerland', 'Schweiz'], tld: 'ch', legalForms: ['AG', 'GmbH', 'SA'], dial: '41', culture: 'de', weight: 5 },
  { code: 'GB', names: ['United Kingdom', 'UK'], tld: 'co.uk', legalForms: ['Ltd', 'Limited', 'PLC'], dial: '44', culture: 'en', weight: 14 },
  { code: 'US', names: ['United States', 'USA'], tld: 'com', legalForms: ['Inc.', 'LLC', 'Corp.'], dial: '1', culture: 'en', weight: 16 },
  { code: 'FR', names: ['France'], tld: 'fr', legalForms: ['SAS', 'SA', 'SARL'], dial: '33', culture: 'fr', weight: 8 },
  { code: 'ES', names: ['Spain', 'España'], tld: 'es', legalForms: ['S.L.', 'S.A.'], dial: '34', culture: 'es', weight: 6 },
  { code: 'NL', names: ['Netherlands', 'Nederland'], tld: 'nl', legalForms: ['B.V.', 'N.V.'], dial: '31', culture: 'nl', weight: 5 },
  { code: 'PL', names: ['Poland', 'Polska'], tld: 'pl', legalForms: ['Sp. z o.o.', 'S.A.'], dial: '48', culture: 'pl', weight: 4 },
  { code: 'SE', names: ['Sweden', 'Sverige'], tld: 'se', legalForms: ['AB'], dial: '46', culture: 'nordic', weight: 3 },
  { code: 'DK', names: ['Denmark', 'Danmark'], tld: 'dk', legalForms: ['A/S', 'ApS'], dial: '45', culture: 'nordic', weight: 2 },
  { code: 'TR', names: ['Turkey', 'Türkiye'], tld: 'com.tr', legalForms: ['A.Ş.', 'Ltd. Şti.'], dial: '90', culture: 'tr', weight: 2 },
];

const wordRoots = `Bauer, Nordlicht, Alpen, Rhein, Elbe, Atlas, Falcon, Orbit, Pioneer, Summit, Cobalt, Meridian, Nova, Vertex, Zenith,
  Sirius, Helix, Vector, Lumen, Quantum, Acme, Apex, Beacon, Cedar, Delta, Echo, Fjord, Granite, Harbor, Iris, Juniper, Kestrel,
  Lotus, Magnet, Nimbus, Onyx, Polar, Quarz, Raven, Sequoia, Tandem, Umbra, Vulcan, Willow, Yukon, Zephyr, Blau, Grün, Süd,
  Ost, West, Adler, Fuchs, Kranich, Löwe, Eiche, Linde, Tanne, Stern, Sonne, Mond, Brücke, Hafen, Turm`
  .split(',')
  .map((word) => word.trim());
const syllableRoots = (() => {
  const heads = ['Al', 'Ber', 'Cor', 'Dan', 'El', 'Fal', 'Gra', 'Hel', 'Ist', 'Jor', 'Kal', 'Lum', 'Mer', 'Nor', 'Or', 'Pra', 'Quin', 'Ros', 'Sol', 'Tor', 'Ul', 'Ver', 'Wal', 'Xan', 'Yor', 'Zen'];
  const tails = ['ion', 'ex', 'ara', 'is', 'o', 'en', 'ia', 'ux', 'ant', 'ora', 'ys', 'eon', 'ix', 'ent', 'ago', 'ent'];
  return heads.flatMap((head) => tails.map((tail) => head + tail));
})();
const sectors = `Technik, Systems, Logistik, Software, Consulting, Solutions, Analytics, Medical, Energy, Robotics, Maschinenbau, Pharma,
  Finance, Media, Labs, Partners, Bau, Automation, Networks, Security, Foods, Textil, Chemie, Immobilien, Versicherung, Data,
  Cloud, Mobility, Health, Retail`
  .split(',')
  .map((word) => word.trim());

type Company = { name: string; root: string; legalForm: string; domains: string[]; country: Country; emailPattern: EmailPattern; switchboard: string };
type EmailPattern = 'first.last' | 'f.last' | 'firstlast' | 'first' | 'flast' | 'last.first';

// ---------------------------------------------------------------------------------------------------------------
// Titles: [department, seniority step, ways to write it]. Steps go individual 0 … c-level 6.

const titleTable: readonly (readonly [string, number, readonly string[]])[] = [
  ['sales', 0, ['Account Executive', 'Sales Representative', 'Vertriebsmitarbeiter', 'Account Manager']],
  ['sales', 1, ['Senior Account Executive', 'Senior Account Manager', 'Sr. Account Executive']],
  ['sales', 2, ['Sales Manager', 'Vertriebsmanager', 'Regional Sales Manager']],
  ['sales', 3, ['Head of Sales', 'Leiter Vertrieb', 'Vertriebsleiter']],
  ['sales', 4, ['Sales Director', 'Director of Sales', 'Director Sales']],
  ['sales', 5, ['VP Sales', 'Vice President of Sales', 'VP of Sales']],
  ['sales', 6, ['CSO', 'Chief Sales Officer', 'Chief Revenue Officer']],
  ['marketing', 0, ['Marketing Specialist', 'Marketing Coordinator', 'Online-Marketing-Referent']],
  ['marketing', 2, ['Marketing Manager', 'Product Marketing Manager']],
  ['marketing', 3, ['Head of Marketing', 'Leiterin Marketing', 'Marketingleiter']],
  ['marketing', 4, ['Marketing Director', 'Director of Marketing']],
  ['marketing', 6, ['CMO', 'Chief Marketing Officer']],
  ['engineering', 0, ['Software Engineer', 'Softwareentwickler', 'Developer']],
  ['engineering', 1, ['Senior Software Engineer', 'Sr. Software Engineer', 'Senior Developer']],
  ['engineering', 2, ['Engineering Manager', 'Development Manager']],
  ['engineering', 3, ['Head of Engineering', 'Leiter Softwareentwicklung']],
  ['engineering', 5, ['VP Engineering', 'Vice President Engineering']],
  ['engineering', 6, ['CTO', 'Chief Technology Officer']],
  ['finance', 0, ['Accountant', 'Financial Analyst', 'Buchhalter']],
  ['finance', 2, ['Finance Manager', 'Controller']],
  ['finance', 3, ['Head of Finance', 'Leiter Finanzen']],
  ['finance', 6, ['CFO', 'Chief Financial Officer', 'Finanzvorstand']],
  ['hr', 0, ['HR Specialist', 'Recruiter', 'Personalreferent']],
  ['hr', 2, ['HR Manager', 'People Manager']],
  ['hr', 3, ['Head of HR', 'Head of People', 'Personalleiter']],
  ['procurement', 0, ['Buyer', 'Einkäufer', 'Purchasing Agent']],
  ['procurement', 2, ['Procurement Manager', 'Purchasing Manager']],
  ['procurement', 3, ['Head of Procurement', 'Einkaufsleiter', 'Leiter Einkauf']],
  ['executive', 6, ['CEO', 'Chief Executive Officer', 'Geschäftsführer', 'Managing Director', 'Founder & CEO']],
];

type Title = { department: string; step: number; text: string };

// ---------------------------------------------------------------------------------------------------------------
// Spelling helpers

const expandTable: Readonly<Record<string, string>> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss', ø: 'oe', å: 'aa', æ: 'ae', Ä: 'Ae', Ö: 'Oe', Ü: 'Ue', Ø: 'Oe', Å: 'Aa', Æ: 'Ae' };
const stripTable: Readonly<Record<string, string>> = { ß: 'ss', ø: 'o', Ø: 'O', æ: 'ae', Æ: 'Ae', ł: 'l', Ł: 'L', ı: 'i', İ: 'I', đ: 'd' };

function fold(text: string, how: 'expand' | 'strip'): string {
  let out = '';
  for (const letter of text) out += (how === 'expand' ? expandTable[letter] : undefined) ?? stripTable[letter] ?? letter;
  return out.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
}

const ascii = (text: string, how: 'expand' | 'strip'): string => fold(text, how).toLowerCase().replace(/[^a-z0-9]+/g, '');

// Neighbouring keys on a QWERTZ/QWERTY keyboard, for substitution typos.
const neighbours: Readonly<Record<string, string>> = {
  a: 'sqy', b: 'vn', c: 'xv', d: 'sf', e: 'wr', f: 'dg', g: 'fh', h: 'gj', i: 'uo', j: 'hk', k: 'jl', l: 'k', m: 'n', n: 'bm', o: 'ip',
  p: 'o', q: 'w', r: 'et', s: 'ad', t: 'rz', u: 'zi', v: 'cb', w: 'qe', x: 'yc', y: 'xa', z: 'tu',
};

function typo(text: string, random: Random): string {
  const letters = Array.from(text);
  if (letters.length < 3) return text;
  // Mostly not the first letter: people rarely get that wrong.
  const at = random.chance(0.85) ? random.int(1, letters.length - 1) : 0;
  const letter = letters[at] ?? '';
  switch (random.int(0, 3)) {
    case 0:
      letters.splice(at, 1);
      break;
    case 1:
      letters.splice(at, 0, letter);
      break;
    case 2: {
      const other = at + 1 < letters.length ? at + 1 : at - 1;
      [letters[at], letters[other]] = [letters[other] ?? '', letter];
      break;
    }
    default: {
      const options = neighbours[letter.toLowerCase()];
      if (options === undefined) letters.splice(at, 1);
      else {
        const replacement = random.pick(Array.from(options));
        letters[at] = letter === letter.toUpperCase() ? replacement.toUpperCase() : replacement;
      }
    }
  }
  return letters.join('');
}

// ---------------------------------------------------------------------------------------------------------------
// The generator

type Person = {
  index: number;
  culture: CultureCode;
  given: Name;
  family: Name;
  company: Company;
  title: Title | null;
  workEmail: string;
  privateEmail: string;
  phone: string | null;
  linkedinSlug: string | null;
};

const damageWeights: readonly (readonly [DamageKind, number])[] = [
  ['spelling', 12],
  ['nickname', 9],
  ['typo', 10],
  ['initial', 4],
  ['swapped', 3],
  ['case', 4],
  ['given_missing', 3],
  ['name_part', 25],
  ['private_email', 10],
  ['other_alias', 6],
  ['no_email', 6],
  ['job_change', 7],
  ['company_variant', 10],
  ['title_variant', 10],
  ['fields_missing', 12],
  ['linkedin_variant', 3],
  ['country_variant', 6],
];

export function generateContacts(options: { records: number; seed: number }): GeneratedContacts {
  const random = randomFrom(options.seed);
  const target = options.records;
  // About 1.4 records per person, 8 people per company on average (a few large accounts, many small ones).
  const companyCount = Math.max(20, Math.round(target / 1.4 / 8));
  const usedDomains = new Set<string>();
  const usedNames = new Set<string>();
  const countryWeights = countries.map((country) => [country, country.weight] as const);

  function domainFor(root: string, sector: string | null, country: Country): string {
    const base = ascii(root, 'expand');
    const sectorPart = sector === null ? '' : ascii(sector, 'expand');
    const candidates = [
      sector === null ? `${base}.${country.tld}` : `${base}-${sectorPart}.${country.tld}`,
      `${base}${sectorPart}.${random.chance(0.5) ? 'com' : country.tld}`,
      `${base}-${sectorPart || 'group'}.com`,
    ];
    for (let n = 2; candidates.every((candidate) => usedDomains.has(candidate)); n += 1) candidates.push(`${base}${sectorPart}${n}.${country.tld}`);
    const domain = candidates.find((candidate) => !usedDomains.has(candidate)) ?? '';
    usedDomains.add(domain);
    return domain;
  }

  const dialNumber = (country: Country): string => `+${country.dial}${random.int(20, 89)}${String(random.int(0, 99_999_999)).padStart(8, '0')}`;

  function makeCompany(): Company {
    const country = random.weighted(countryWeights);
    for (;;) {
      const root = random.chance(0.35) ? random.pick(wordRoots) : random.pick(syllableRoots);
      const sector = random.chance(0.75) ? random.pick(sectors) : null;
      const bare = sector === null ? root : `${root} ${sector}`;
      if (usedNames.has(`${bare}|${country.code}`)) continue;
      usedNames.add(`${bare}|${country.code}`);
      const domains = [domainFor(root, sector, country)];
      // A tenth also has a .com (or a country) domain in use: acme.de and acme.com.
      if (random.chance(0.1)) {
        const label = domains[0]?.split('.')[0] ?? ascii(root, 'expand');
        const other = `${label}.${domains[0]?.endsWith('.com') === true ? country.tld : 'com'}`;
        if (!usedDomains.has(other)) {
          usedDomains.add(other);
          domains.push(other);
        }
      }
      return {
        name: bare,
        root,
        legalForm: random.pick(country.legalForms),
        domains,
        country,
        emailPattern: random.weighted<EmailPattern>([['first.last', 50], ['f.last', 18], ['firstlast', 10], ['flast', 10], ['first', 5], ['last.first', 7]]),
        switchboard: dialNumber(country),
      };
    }
  }

  const companies = Array.from({ length: companyCount }, makeCompany);
  const usedAddresses = new Set<string>();

  // Addresses are unique per mailbox: Gmail ignores dots and googlemail.com is gmail.com.
  const mailbox = (local: string, domain: string): string =>
    domain === 'gmail.com' || domain === 'googlemail.com' ? `${local.replace(/\./g, '')}@gmail.com` : `${local}@${domain}`;
  function address(local: string, domain: string): string {
    let candidate = local;
    for (let n = 2; usedAddresses.has(mailbox(candidate, domain)); n += 1) candidate = `${local}${n}`;
    usedAddresses.add(mailbox(candidate, domain));
    return `${candidate}@${domain}`;
  }

  function workAddress(person: Pick<Person, 'culture' | 'given' | 'family'>, company: Company, pattern: EmailPattern): string {
    const how = cultures[person.culture].emailSpelling;
    const first = ascii(person.given.primary, how);
    const last = ascii(person.family.primary, how);
    const local = {
      'first.last': `${first}.${last}`,
      'f.last': `${first.charAt(0)}.${last}`,
      firstlast: `${first}${last}`,
      flast: `${first.charAt(0)}${last}`,
      first,
      'last.first': `${last}.${first}`,
    }[pattern];
    return address(local, company.domains[0] ?? 'example.com');
  }

  function privateAddress(person: Pick<Person, 'culture' | 'given' | 'family'>): string {
    const how = cultures[person.culture].emailSpelling;
    const first = ascii(person.given.primary, how);
    const last = ascii(person.family.primary, how);
    const provider = random.weighted([['gmail.com', 55], ['googlemail.com', 5], ['outlook.com', 12], ['yahoo.com', 8], ['gmx.de', 8], ['web.de', 7], ['icloud.com', 5]] as const);
    const local = random.weighted([[`${first}.${last}`, 4], [`${first}${last}`, 2], [`${first}.${last}${random.int(60, 99)}`, 2], [`${first.charAt(0)}${last}${random.int(1, 999)}`, 1]] as const);
    return address(local, provider);
  }

  function drawTitle(): Title | null {
    if (random.chance(0.25)) return null;
    const [department, step, texts] = random.skewed(titleTable, 4);
    return { department, step, text: random.pick(texts) };
  }

  function drawFamily(culture: CultureCode): Name {
    const listed = cultures[culture].family;
    const [heads, tails] = surnameParts[culture];
    if (culture === 'es') {
      const paternal = random.skewed(listed, 8);
      if (random.chance(0.5) || paternal.primary.includes(' ')) return paternal;
      const maternal = random.skewed(listed, 8);
      return maternal === paternal || maternal.primary.includes(' ') ? paternal : { primary: `${paternal.primary} ${maternal.primary}`, variants: [], nicknames: [] };
    }
    if (heads.length === 0 || random.chance(0.35)) return random.skewed(listed, 8);
    const head = random.pick(heads);
    const tail = random.pick(tails);
    return { primary: head + (head.endsWith(tail.charAt(0)) ? tail.slice(1) : tail), variants: [], nicknames: [] };
  }

  // Profile URLs are unique: a taken slug gets a suffix, as LinkedIn does.
  const usedSlugs = new Set<string>();
  function uniqueSlug(base: string): string {
    let slug = random.chance(0.6) ? `${base}-${random.int(4096, 1_048_575).toString(16)}` : base;
    while (usedSlugs.has(slug)) slug = `${base}${random.int(1, 999)}`;
    usedSlugs.add(slug);
    return slug;
  }

  function makePerson(index: number): Person {
    const company = random.skewed(companies, 20);
    // Most people carry a name from their company's country; the rest from anywhere (Russian-speaking staff only so).
    const culture: CultureCode = random.chance(0.72) ? company.country.culture : random.weighted<CultureCode>([['ru', 4], ['tr', 2], ['en', 3], ['de', 2], ['pl', 2], ['fr', 1], ['es', 1], ['nl', 1], ['nordic', 1]]);
    const pool = cultures[culture];
    const person = { culture, given: random.skewed(pool.given, 8), family: drawFamily(culture) };
    const slugBase = `${ascii(person.given.primary, 'strip')}-${ascii(person.family.primary, 'strip')}`;
    return {
      index,
      ...person,
      company,
      title: drawTitle(),
      workEmail: workAddress(person, company, company.emailPattern),
      privateEmail: '',
      phone: random.chance(0.55) ? (random.chance(0.15) ? company.switchboard : dialNumber(company.country)) : null,
      linkedinSlug: random.chance(0.35) ? uniqueSlug(slugBase) : null,
    };
  }

  const countryText = (country: Country, vary: boolean): string => (vary ? random.pick([country.code, ...country.names, country.code.toLowerCase()]) : country.code);
  const companyText = (company: Company): string => `${company.name} ${company.legalForm}`;
  const linkedinUrl = (slug: string, vary: boolean): string =>
    vary
      ? random.pick([`https://de.linkedin.com/in/${slug}/`, `linkedin.com/in/${slug}`, `https://www.linkedin.com/in/${slug}?originalSubdomain=de`, `http://linkedin.com/in/${slug.toUpperCase()}`])
      : `https://www.linkedin.com/in/${slug}`;

  // A person's first record: mostly complete, with the gaps any CRM has.
  function firstRecord(person: Person, id: string): PersonRecord {
    const emails = random.chance(0.93) ? [person.workEmail] : [];
    if (random.chance(0.05)) emails.push((person.privateEmail ||= privateAddress(person)));
    return {
      id,
      firstName: person.given.primary,
      lastName: person.family.primary,
      emails,
      phoneE164: person.phone,
      linkedinUrl: person.linkedinSlug === null ? null : linkedinUrl(person.linkedinSlug, false),
      companyName: random.chance(0.92) ? companyText(person.company) : null,
      companyDomain: random.chance(0.5) ? (person.company.domains[0] ?? null) : null,
      title: person.title?.text ?? null,
      country: random.chance(0.7) ? countryText(person.company.country, random.chance(0.3)) : null,
    };
  }

  function spellingOf(name: Name): string {
    const options = [...name.variants];
    const expanded = fold(name.primary, 'expand');
    const stripped = fold(name.primary, 'strip');
    if (expanded !== name.primary) options.push(expanded);
    if (stripped !== name.primary && stripped !== expanded) options.push(stripped);
    return options.length > 0 ? random.pick(options) : name.primary;
  }

  function nameParts(text: string): string {
    const words = text.split(/[\s-]+/).filter((word) => word !== '');
    if (words.length < 2) return text;
    return random.chance(0.5) ? (words[0] ?? text) : words.join(text.includes('-') ? ' ' : '-');
  }

  const hasSpellings = (name: Name): boolean => name.variants.length > 0 || fold(name.primary, 'expand') !== name.primary || fold(name.primary, 'strip') !== name.primary;
  const splittable = (text: string): boolean => /[\s-]/.test(text) && !/^(van|von|de|del|zu|la)\b/i.test(text);
  function applies(kind: DamageKind, person: Person): boolean {
    if (kind === 'nickname') return person.given.nicknames.length > 0;
    if (kind === 'spelling') return hasSpellings(person.given) || hasSpellings(person.family);
    if (kind === 'name_part') return splittable(person.given.primary) || splittable(person.family.primary);
    if (kind === 'title_variant') return person.title !== null;
    if (kind === 'linkedin_variant') return person.linkedinSlug !== null;
    return true;
  }

  // A further record of a person: a copy of the first record's facts with one to three damages.
  function duplicate(person: Person, id: string): { record: PersonRecord; kinds: DamageKind[] } {
    const kinds = new Set<DamageKind>();
    const count = random.weighted([[1, 50], [2, 35], [3, 15]] as const);
    const applicable = damageWeights.filter(([kind]) => applies(kind, person));
    while (kinds.size < count) kinds.add(random.weighted(applicable));
    let first: string | null = person.given.primary;
    let last: string | null = person.family.primary;
    let company = person.company;
    let title = person.title;
    let emails = [person.workEmail];
    let phone = person.phone;
    let companyName: string | null = companyText(company);
    let companyDomain: string | null = random.chance(0.5) ? (company.domains[0] ?? null) : null;
    let country: string | null = random.chance(0.7) ? countryText(company.country, false) : null;
    let linkedin = person.linkedinSlug === null ? null : linkedinUrl(person.linkedinSlug, false);

    if (kinds.has('job_change')) {
      company = random.skewed(companies, 20);
      if (company === person.company) company = random.pick(companies);
      emails = [workAddress(person, company, company.emailPattern)];
      companyName = companyText(company);
      companyDomain = random.chance(0.5) ? (company.domains[0] ?? null) : null;
      phone = random.chance(0.5) ? dialNumber(company.country) : null;
      country = random.chance(0.7) ? countryText(company.country, false) : null;
      if (title !== null && random.chance(0.5)) title = drawTitle();
    }
    if (kinds.has('nickname') && person.given.nicknames.length > 0) first = random.pick(person.given.nicknames);
    else if (kinds.has('nickname')) kinds.delete('nickname');
    if (kinds.has('spelling')) {
      const before = `${first ?? ''} ${last ?? ''}`;
      const givenFirst = hasSpellings(person.given) && (!hasSpellings(person.family) || random.chance(0.5));
      if (givenFirst && first === person.given.primary) first = spellingOf(person.given);
      else last = spellingOf(person.family);
      if (`${first ?? ''} ${last ?? ''}` === before) kinds.delete('spelling');
    }
    if (kinds.has('name_part')) {
      const before = `${first ?? ''} ${last ?? ''}`;
      if (first !== null && splittable(first)) first = nameParts(first);
      else if (last !== null && splittable(last)) last = nameParts(last);
      if (`${first ?? ''} ${last ?? ''}` === before) kinds.delete('name_part');
    }
    if (kinds.has('typo')) {
      if (random.chance(0.5) && first !== null) first = typo(first, random);
      else if (last !== null) last = typo(last, random);
    }
    if (kinds.has('initial') && first !== null) first = `${Array.from(first)[0] ?? ''}.`;
    if (kinds.has('case')) {
      const upper = random.chance(0.6);
      const change = (text: string | null): string | null => (text === null ? null : upper ? text.toUpperCase() : text.toLowerCase());
      if (random.chance(0.5)) last = change(last);
      else [first, last] = [change(first), change(last)];
    }
    if (kinds.has('swapped')) [first, last] = [last, first];
    if (kinds.has('given_missing')) first = null;
    if (kinds.has('private_email')) emails = [(person.privateEmail ||= privateAddress(person))];
    if (kinds.has('other_alias')) {
      const patterns = (['first.last', 'f.last', 'firstlast', 'flast'] as const).filter((pattern) => pattern !== company.emailPattern);
      emails = [workAddress(person, company, random.pick(patterns))];
    }
    if (kinds.has('no_email')) emails = [];
    if (kinds.has('company_variant') && companyName !== null) {
      companyName = random.weighted<string>([
        [company.name, 4],
        [companyText(company).toUpperCase(), 2],
        [`${company.name} ${random.pick(company.country.legalForms.filter((form) => form !== company.legalForm).concat(['Group']))}`, 2],
        [`${company.name} ${company.country.names[company.country.names.length - 1] ?? ''} ${company.legalForm}`, 1],
        [`${typo(company.name, random)} ${company.legalForm}`, 2],
      ]);
      if (company.domains.length > 1) companyDomain = company.domains[1] ?? companyDomain;
    }
    if (kinds.has('title_variant') && title !== null) {
      const current = title;
      const same = titleTable.find(([department, step]) => department === current.department && step === current.step);
      const up = titleTable.find(([department, step]) => department === current.department && step > current.step);
      if (up !== undefined && random.chance(0.4)) title = { department: up[0], step: up[1], text: random.pick(up[2]) };
      else if (same !== undefined) title = { ...current, text: random.pick(same[2].filter((text) => text !== current.text).concat([current.text])) };
    } else if (kinds.has('title_variant')) kinds.delete('title_variant');
    if (kinds.has('fields_missing')) {
      const drop = new Set(Array.from({ length: random.int(1, 3) }, () => random.pick(['phone', 'title', 'company', 'country', 'domain'] as const)));
      if (drop.has('phone')) phone = null;
      if (drop.has('title')) title = null;
      if (drop.has('company')) companyName = null;
      if (drop.has('country')) country = null;
      if (drop.has('domain')) companyDomain = null;
    }
    if (kinds.has('linkedin_variant') && person.linkedinSlug !== null) linkedin = linkedinUrl(person.linkedinSlug, true);
    else if (kinds.has('linkedin_variant')) kinds.delete('linkedin_variant');
    if (kinds.has('country_variant')) country = countryText(company.country, true);
    // A duplicate often lacks what the other record has: LinkedIn and phone come from different sources.
    if (!kinds.has('linkedin_variant') && random.chance(0.4)) linkedin = null;
    if (!kinds.has('job_change') && phone !== null && random.chance(0.3)) phone = null;

    return {
      record: { id, firstName: first, lastName: last, emails, phoneE164: phone, linkedinUrl: linkedin, companyName, companyDomain, title: title?.text ?? null, country },
      kinds: [...kinds].sort(),
    };
  }

  const records: PersonRecord[] = [];
  const duplicateGroups: string[][] = [];
  const damages = new Map<string, DamageKind[]>();
  let persons = 0;
  while (records.length < target) {
    const person = makePerson(persons);
    persons += 1;
    const size = Math.min(target - records.length, random.weighted([[1, 70], [2, 20], [3, 7], [4, 3]] as const));
    const ids: string[] = [];
    for (let k = 0; k < size; k += 1) {
      // Ids say nothing about the person: the truth is kept apart.
      const id = `c${String(records.length).padStart(7, '0')}`;
      ids.push(id);
      if (k === 0) records.push(firstRecord(person, id));
      else {
        const { record, kinds } = duplicate(person, id);
        records.push(record);
        damages.set(id, kinds);
      }
    }
    if (ids.length > 1) duplicateGroups.push(ids);
  }

  // Shared mailboxes: a few people of one company entered with the team address (different people, one address).
  let sharedMailboxRecords = 0;
  for (const record of records) {
    if (!random.chance(0.006) || record.emails.length === 0) continue;
    const domain = record.emails[0]?.split('@')[1];
    if (domain === undefined || !companies.some((company) => company.domains.includes(domain))) continue;
    record.emails = [`${random.pick(['info', 'sales', 'office', 'kontakt'])}@${domain}`];
    sharedMailboxRecords += 1;
  }

  // Shuffled, so a person's records are not neighbours (Fisher-Yates on the seeded generator).
  for (let i = records.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random.next() * (i + 1));
    [records[i], records[j]] = [records[j] as PersonRecord, records[i] as PersonRecord];
  }
  return { records, duplicateGroups, damages, persons, companies: companies.length, sharedMailboxRecords };
}
