// Mailbox providers where anyone can sign up: an address there says nothing about the person's employer, so its
// domain is never taken as a company domain. A shipped, hand-kept SUBSET of the common consumer providers and ISP
// mailboxes in our markets (registrable domains, lowercase); extend it when imports show a gap.
export const freeMailDomains: readonly string[] = [
  // Global
  'gmail.com', 'googlemail.com',
  'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'passport.com',
  'hotmail.co.uk', 'hotmail.de', 'hotmail.fr', 'hotmail.es', 'hotmail.it', 'hotmail.nl', 'hotmail.be', 'hotmail.ch',
  'outlook.de', 'outlook.fr', 'outlook.es', 'outlook.it', 'outlook.co.uk', 'live.co.uk', 'live.de', 'live.fr', 'live.nl', 'live.it',
  'yahoo.com', 'yahoo.co.uk', 'yahoo.de', 'yahoo.fr', 'yahoo.es', 'yahoo.it', 'yahoo.ca', 'yahoo.com.au', 'yahoo.co.in',
  'yahoo.co.jp', 'yahoo.com.br', 'yahoo.com.mx', 'yahoo.com.ar', 'ymail.com', 'rocketmail.com',
  'icloud.com', 'me.com', 'mac.com',
  'aol.com', 'aol.de', 'aim.com',
  'proton.me', 'protonmail.com', 'protonmail.ch', 'pm.me',
  'fastmail.com', 'fastmail.fm',
  'tutanota.com', 'tutanota.de', 'tuta.io', 'tuta.com',
  'zohomail.com', 'hey.com', 'mail.com', 'email.com', 'gmx.com', 'inbox.com', 'hushmail.com', 'yandex.com',
  // Germany, Austria, Switzerland
  'gmx.de', 'gmx.net', 'gmx.at', 'gmx.ch', 'web.de', 't-online.de', 'freenet.de', 'arcor.de', 'posteo.de', 'mailbox.org',
  'online.de', 'vodafone.de', 'bluewin.ch', 'hispeed.ch', 'sunrise.ch', 'chello.at', 'aon.at',
  // France, Belgium, Netherlands
  'orange.fr', 'wanadoo.fr', 'free.fr', 'laposte.net', 'sfr.fr', 'neuf.fr', 'bbox.fr', 'skynet.be', 'telenet.be',
  'ziggo.nl', 'kpnmail.nl', 'planet.nl', 'home.nl',
  // Italy, Spain, Portugal
  'libero.it', 'virgilio.it', 'alice.it', 'tiscali.it', 'tin.it', 'telefonica.net', 'terra.es', 'sapo.pt',
  // United Kingdom, Ireland
  'btinternet.com', 'sky.com', 'virginmedia.com', 'talktalk.net', 'ntlworld.com', 'blueyonder.co.uk', 'eircom.net',
  // Nordics, Central and Eastern Europe
  'telia.com', 'online.no', 'seznam.cz', 'centrum.cz', 'wp.pl', 'o2.pl', 'onet.pl', 'interia.pl',
  'yandex.ru', 'mail.ru', 'bk.ru', 'inbox.ru', 'list.ru', 'rambler.ru', 'ukr.net',
  // North America
  'comcast.net', 'verizon.net', 'att.net', 'sbcglobal.net', 'bellsouth.net', 'cox.net', 'charter.net', 'earthlink.net',
  'optonline.net', 'shaw.ca', 'rogers.com', 'sympatico.ca', 'videotron.ca',
  // Latin America, Asia-Pacific
  'uol.com.br', 'bol.com.br', 'terra.com.br', 'ig.com.br',
  'bigpond.com', 'optusnet.com.au', 'xtra.co.nz',
  'rediffmail.com', 'qq.com', '163.com', '126.com', 'sina.com', 'naver.com', 'daum.net', 'hanmail.net',
];
