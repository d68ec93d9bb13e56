// Spelling tables for comparing person names across scripts and keyboard habits (issue #11). Comparison only:
// nothing here changes how a name is stored or shown.

// Cyrillic → Latin, one plain scheme close to what passports and CRMs carry ("Сергей" → "sergey", "Щукин" →
// "shchukin"). Other schemes ("Sergei", "Sergej", "Schtschukin") are reconciled afterwards by the Latin skeleton
// below, so one table is enough. Russian, Ukrainian, Belarusian and Bulgarian letters; lowercase input.
export const cyrillicToLatin: Readonly<Record<string, string>> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'yo', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l',
  м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh',
  щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
  // Ukrainian and Belarusian
  і: 'i', ї: 'yi', є: 'ye', ґ: 'g', ў: 'u',
  // Serbian and Macedonian
  ђ: 'dj', ј: 'j', љ: 'lj', њ: 'nj', ћ: 'c', џ: 'dz', ѓ: 'gj', ќ: 'kj', ѕ: 'dz',
};

// Greek → Latin on letters without their accents (the caller strips the tonos first).
export const greekToLatin: Readonly<Record<string, string>> = {
  α: 'a', β: 'v', γ: 'g', δ: 'd', ε: 'e', ζ: 'z', η: 'i', θ: 'th', ι: 'i', κ: 'k', λ: 'l', μ: 'm', ν: 'n',
  ξ: 'x', ο: 'o', π: 'p', ρ: 'r', σ: 's', ς: 's', τ: 't', υ: 'y', φ: 'f', χ: 'ch', ψ: 'ps', ω: 'o',
};

// Letters people write in two ways without the mark: "Müller" is "Muller" or "Mueller", "Søren" is "Soren" or
// "Soeren", "Åse" is "Ase" or "Aase". A name gets both spellings and the best comparison counts. Lowercase, NFC.
export const expandedLetters: Readonly<Record<string, string>> = {
  ä: 'ae', ö: 'oe', ü: 'ue', ø: 'oe', å: 'aa', æ: 'ae', œ: 'oe', ß: 'ss',
};

// Letters that Unicode decomposition does not take apart but that have one obvious plain spelling.
export const plainLetters: Readonly<Record<string, string>> = {
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ħ: 'h',
};

// The Latin skeleton: spellings that sound the same in the languages we meet collapse to one form, so that
// transliteration variants ("Sergey/Sergei/Sergej", "Iwanow/Ivanov", "Aleksandr/Alexandr", "Mikhail/Mihail"),
// German spellings ("Müller/Muller/Mueller", "Meyer/Maier") and German/English pairs ("Karl/Carl",
// "Philipp/Filip", "Matthias/Mathias") compare equal. Applied in order to one folded, lowercase token; last,
// doubled letters collapse ("Dmitriy" → "dmitrii" → "dmitri"). Joining look-alikes is safe here because the
// skeleton only ever compares two names, it never rewrites one.
export const latinSkeletonRules: readonly (readonly [RegExp, string])[] = [
  [/tsch/g, 'ch'],
  [/sch/g, 'sh'],
  [/kh/g, 'h'],
  [/ph/g, 'f'],
  [/th/g, 't'],
  [/ck/g, 'k'],
  [/c(?=[aoulrkt]|$)/g, 'k'],
  [/x/g, 'ks'],
  [/w/g, 'v'],
  // German transliteration writes ц as "z" and з as "s": "Kuznetsov" is "Kusnezow".
  [/tz|ts|z/g, 's'],
  [/off$/g, 'ov'],
  [/ou/g, 'u'],
  // German umlauts typed without the dots or written out: "Jürgen" is "Jurgen" and "Juergen".
  [/([aou])e/g, '$1'],
  [/[jy]/g, 'i'],
  // Meyer/Maier/Mayer/Meier, Rainer/Reiner.
  [/ei/g, 'ai'],
  // Nielsen/Nilsen, Dietrich/Ditrich, Marie/Mari.
  [/ie/g, 'i'],
  [/(.)\1+/g, '$1'],
];
