// Keyword rules that read a department and a seniority out of a job title, in English, German, French and
// Spanish. They run on a folded title: lowercase, accents removed (ß → ss), punctuation turned into single
// spaces, "&" kept as its own token, and runs of single letters joined ("V.P." → "vp", "C.E.O." → "ceo").
// Some stems have no \b in front, so they also match inside German compounds ("Vertriebsleiter", "Softwareentwickler").
//
// These are rules of thumb, not a taxonomy: a title no rule recognises gets null, never a guess.

// ---------------------------------------------------------------------------------------------------------
// Seniority, checked in this order; the first rule that matches decides.

export type SeniorityRule = {
  readonly seniority: 'c_level' | 'vp' | 'director' | 'head' | 'manager' | 'senior' | 'individual' | 'intern';
  readonly pattern: RegExp;
  // 'assistant': works for someone senior (department from the function only, else "other").
  // 'ic_manager': "X Manager" titles that are individual-contributor roles by convention; "senior" wins over them.
  readonly kind?: 'assistant' | 'ic_manager';
};

export const seniorityRules: readonly SeniorityRule[] = [
  {
    seniority: 'intern',
    pattern:
      /\b(intern|internship|working student|praktikant(in)?|werkstudent(in)?|azubi|auszubildende(r)?|stagiaire|alternant(e)?|apprenti(e)?|apprentice|trainee|becari[oa]|practicante|pasante|estagiari[oa])\b/,
  },
  {
    seniority: 'individual',
    kind: 'assistant',
    pattern:
      /\b((executive|personal|administrative|office|management) assistant|assistant (to|of)|assistan(t|te)( de)? (direction|la direction|dg|pdg)|assisten(t|tin|z)\w*|asistente|secretar(y|ia|io|e|iat)|secretaire|sekretar(in|iat)?)\b/,
  },
  {
    seniority: 'c_level',
    pattern: new RegExp(
      [
        '\\b(ceo|cfo|cto|coo|cmo|cio|cro|cpo|cso|cco|cdo|cxo|cao|clo|chro|ciso|cpto|cgo)\\b',
        '\\bchief (?!of staff\\b)[a-z ]{2,60}officer\\b',
        '\\bchief executive\\b',
        '\\b(co )?founders?\\b',
        '\\b(mit)?grunder(in)?\\b',
        '\\b(co)?fondat(eur|rice)\\b',
        '\\b(co)?fundador(a)?\\b',
        '(?<!\\b(vice|product|process|data|account|project|service|system|budget|content|risk|business process) )\\b(owner|inhaber(in)?|proprietaire|propietari[oa]|duen[oa])\\b',
        '(?<!\\bvice )\\bpresident(e|a)?\\b',
        '\\b(pdg|dg|md)\\b',
        '\\bgesch(a|ae)fts(f(u|ue)hr(er|erin|ung)|leit(er|erin|ung))\\b',
        '\\bvorstand\\w*',
        '\\b(managing|executive|non executive) director\\b',
        '\\bmanaging partner\\b',
        '\\bgeneral manager\\b',
        '\\bgerente general\\b',
        '\\bdirect(eur|rice) general(e)?\\b',
        '\\bdirector(a)? (general|ejecutiv[oa])\\b',
        '\\bconsejer[oa] delegad[oa]\\b',
        '\\b(gerant(e)?|dirigeant(e)?)\\b',
        '\\b(chairman|chairwoman|chairperson|board member|aufsichtsrat\\w*|beirat)\\b',
      ].join('|'),
    ),
  },
  { seniority: 'vp', pattern: /\b([sea]?vp|vice president(e|a)?|vicepresident(e|a)?|vizeprasident(in)?)\b/ },
  { seniority: 'director', pattern: /\b(director(a)?|directeur|directrice|direktor(in)?|diretor(a)?|drh|daf|dsi)\b/ },
  {
    seniority: 'individual',
    kind: 'ic_manager',
    pattern:
      /\bproduct owner\b|\b((key )?account|customer success|success|product|project|program|community|social media|relationship|territory|partner|campaign|produkt|projekt|kam) ?manager(in)?\b|\bprojektleiter(in)?\b|\bchef de (projet|produit)\b|\bjef[ea] de proyecto\b|\bgerente de cuentas\b/,
  },
  { seniority: 'manager', pattern: /\b(team ?lead(er)?|teamleiter(in)?|team manager|chef d equipe|jef[ea] de equipo)\b/ },
  { seniority: 'head', pattern: /\b(head|general counsel|leitung|responsable|jef[ea]|chef)\b|leiter(in)?\b/ },
  { seniority: 'manager', pattern: /\b(gerente|encargad[oa]|supervisor(a|in)?)\b|manager(in)?\b/ },
  {
    seniority: 'senior',
    pattern: /\b(senior|sr|principal|staff (engineer|software|data|developer|scientist|designer)|lead (developer|engineer|designer|architect|consultant|data)|tech(nical)? lead)\b/,
  },
  {
    seniority: 'individual',
    pattern: new RegExp(
      [
        '\\b(junior|jr|assistant|engineer|developer|programmer|representative|rep|specialist|analyst|associate|consultant|coordinator|administrator|accountant|bookkeeper|recruiter|designer|buyer|agent|advisor|adviser|officer|architect|scientist|technician|writer|planner|strategist|executive|sdr|bdr|ae|counsel|lawyer|attorney|paralegal|controller|auditor)\\b',
        '\\b(sachbearbeiter(in)?|referent(in)?|berater(in)?|ingenieur(in)?|kaufmann|kauffrau|einkaufer(in)?|verkaufer(in)?|buchhalter(in)?|jurist(in)?|justiziar(in)?|syndikus(anwalt|anwaltin)?)\\b',
        'mitarbeiter(in)?\\b|entwickler(in)?\\b',
        '\\b(commercial(e)?|conseill(er|ere)|charge(e)? (d|de)|technicien(ne)?|developpeu(r|se)|comptable|acheteu(r|se)|vendeu(r|se)|juriste|recruteu(r|se)|ingenieur(e)?)\\b',
        '\\b(ingenier[oa]|desarrollador(a)?|analista|especialista|consultor(a)?|comercial|vendedor(a)?|comprador(a)?|contable|asesor(a)?|ejecutiv[oa]|tecnic[oa]|administrativ[oa]|abogad[oa]|coordinador(a)?)\\b',
      ].join('|'),
    ),
  },
];

// ---------------------------------------------------------------------------------------------------------
// Department. Every rule is tried; the match that starts earliest in the title wins ("VP Sales & Marketing" is
// sales), and on a tie the earlier rule wins, so the specific phrases come first. A functional department beats
// an executive one ("Geschäftsführer Vertrieb" is sales); "other" counts only when nothing else matched.

export type DepartmentRule = {
  readonly department:
    | 'sales' | 'marketing' | 'engineering' | 'product' | 'operations' | 'finance' | 'hr' | 'legal' | 'it'
    | 'customer_success' | 'executive' | 'procurement' | 'other';
  readonly pattern: RegExp;
  readonly kind: 'functional' | 'executive' | 'other';
  // A C-level acronym ("CFO"): it names the boss's function, which an assistant to that boss does not share.
  readonly acronym?: true;
};

export const departmentRules: readonly DepartmentRule[] = [
  // Specific phrases that would otherwise lose to a broader rule on the same position
  { department: 'marketing', kind: 'functional', pattern: /\bproduct marketing\b/ },
  { department: 'sales', kind: 'functional', pattern: /\b(sales engineer\w*|pre ?sales|ingenieu?r(e)? (commercial|d affaires)|ingenier[oa] comercial|vertriebsingenieur\w*|technico commercial|business development|biz dev|account executive|account manag\w*|key account\w*|kam|ejecutiv[oa] de (cuentas|ventas)|gerente de cuentas|cuentas clave|grands comptes|charge(e)? d affaires)\b/ },
  { department: 'finance', kind: 'functional', pattern: /\b(accounts (payable|receivable)|cuentas por (pagar|cobrar)|kaufm(a|ae)nnische(r)? leit\w*)\b/ },
  { department: 'it', kind: 'functional', pattern: /\b(chief information (security )?officer|information technology|information security|infosec|salesforce (admin\w*|developer)|crm admin\w*|systems? admin\w*|sysadmin|systemes d information|sistemas de informacion)\b/ },
  { department: 'engineering', kind: 'functional', pattern: /\b(r & d|research and development|data (engineer|scientist)\w*|machine learning|ml engineer\w*)\b/ },
  { department: 'product', kind: 'functional', pattern: /\b(product (owner|manag\w*|lead|design\w*)|produktmanag\w*|produkt ?owner|chef de produit)\b/ },
  { department: 'customer_success', kind: 'functional', pattern: /\b(chief customer officer|customer success|client success|customer experience|customer (support|service|care)|kundenservice|kundenbetreuung|kundendienst|kundenerfolg|service client(s|ele)?|relation client\w*|atencion al cliente|exito del cliente)\b/ },

  // C-level acronyms
  { department: 'finance', kind: 'functional', acronym: true, pattern: /\bcfo\b/ },
  { department: 'engineering', kind: 'functional', acronym: true, pattern: /\bcto\b/ },
  { department: 'it', kind: 'functional', acronym: true, pattern: /\b(cio|ciso)\b/ },
  { department: 'marketing', kind: 'functional', acronym: true, pattern: /\bcmo\b/ },
  { department: 'sales', kind: 'functional', acronym: true, pattern: /\bcro\b/ },
  { department: 'hr', kind: 'functional', acronym: true, pattern: /\bchro\b/ },
  { department: 'legal', kind: 'functional', acronym: true, pattern: /\bclo\b/ },
  { department: 'operations', kind: 'functional', acronym: true, pattern: /\bcoo\b/ },
  { department: 'executive', kind: 'executive', acronym: true, pattern: /\bceo\b/ },

  // Functions
  { department: 'sales', kind: 'functional', pattern: /\b(sales(?!force)\w*|vertrieb\w*|verkauf\w*|aussendienst\w*|commercial(e)?|comercial|ventas|ventes|vendite|revenue|sdr|bdr|ae|partnerships?|alliances|channel|vendedor(a)?|vendeu(r|se))\b/ },
  { department: 'marketing', kind: 'functional', pattern: /\b(marketing\w*|growth|demand gen\w*|brand(ing)?|communications?|kommunikation|comunicacion|public relations|pr|seo|sem|mercadotecnia|content)\b/ },
  { department: 'hr', kind: 'functional', pattern: /\b(hr|human resources|human capital|people|talent|recruit\w*|recrut\w*|reclut\w*|personal(?! (assistant|banker|trainer|shopper))\w*|ressources humaines|recursos humanos|rrhh|rh|drh|payroll|lohn\w*|gehalt\w*)\b/ },
  { department: 'legal', kind: 'functional', pattern: /\b(legal|counsel|lawyer|attorney|paralegal|compliance|recht\w*|justiziar\w*|syndikus\w*|jurist\w*|juridique|juridic[oa]|abogad[oa]|avocat(e)?|data protection|datenschutz\w*|privacy)\b/ },
  { department: 'finance', kind: 'functional', pattern: /\b(financ\w*|finanz\w*|accounting|accountant|controller|controlling|treasur\w*|tax|steuer\w*|buchhalt\w*|comptab\w*|contab\w*|contable|tresor\w*|tesorer\w*|audit\w*|daf)\b/ },
  { department: 'procurement', kind: 'functional', pattern: /\b(procurement|purchas\w*|buyer|sourcing|einkauf\w*|beschaffung\w*|achats?|acheteu(r|se)|compras|comprador(a)?|aprovisionamiento|approvisionnement|vendor management|supply management)\b/ },
  { department: 'it', kind: 'functional', pattern: /\b(it|edv|informati\w*|sistemas|dsi|cyber\w*|security|helpdesk|service desk|network\w*|infrastructure)\b/ },
  { department: 'customer_success', kind: 'functional', pattern: /\b(support|onboarding|implementation)\b/ },
  { department: 'product', kind: 'functional', pattern: /\b(product(?!ion)\w*|produkt(?!ion)\w*|produit\w*|producto\w*|ux|ui|user experience|interaction design\w*)\b/ },
  { department: 'engineering', kind: 'functional', pattern: /\b(engineer\w*|developer\w*|development|software\w*|devops|sre|qa|programmer|architect\w*|entwickl\w*|ingenieu?r\w*|ingenier[oa]|developpe\w*|desarroll\w*|technik|technisch\w*|technique|tecnic[oa]|technology|tech|forschung\w*)\b|entwickl\w*|software\w*/ },
  { department: 'operations', kind: 'functional', pattern: /\b(operations?|operating|ops|operaciones|operativ\w*|betrieb\w*|logisti\w*|supply chain|production|produktion\w*|produccion|fertigung\w*|manufacturing|facilit(y|ies)|quality|qualitat\w*|qualite|calidad|exploitation)\b/ },

  // Running the company
  { department: 'executive', kind: 'executive', pattern: /\b(chief executive|(co )?founders?|(mit)?grunder(in)?|(co)?fondat(eur|rice)|(co)?fundador(a)?|(?<!\b(vice|product|process|data|account|project|service|system|budget|content|risk) )owner|inhaber(in)?|proprietaire|propietari[oa]|(?<!\bvice )president(e|a)?|pdg|dg|md|gesch(a|ae)fts(f(u|ue)hr\w*|leit\w*)|vorstand\w*|managing (director|partner)|general manager|gerente general|direct(eur|rice) general(e)?|director(a)? (general|ejecutiv[oa])|executive director|consejer[oa] delegad[oa]|gerant(e)?|dirigeant(e)?|chairman|chairwoman|chairperson|board member|aufsichtsrat\w*|beirat)\b/ },

  // Recognised, but none of the above
  { department: 'other', kind: 'other', pattern: /\b(office|administration|verwaltung\w*|research|scientist|teacher|lehrer(in)?|professor|nurse|physician)\b/ },
];
