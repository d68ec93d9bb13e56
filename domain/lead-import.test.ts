import { describe, expect, it } from 'vitest';
import { detectMapping, mappingProblems, mergeFields } from './lead-import.ts';

describe('detectMapping', () => {
  it.each([
    ['Apollo export', ['First Name', 'Last Name', 'Title', 'Company', 'Company Name for Emails', 'Email', 'Person Linkedin Url', 'Website', 'Country', 'Work Direct Phone', 'Apollo Contact Id'], 'apollo',
      { 'First Name': 'firstName', 'Last Name': 'lastName', Title: 'title', Company: 'company', 'Company Name for Emails': null, Email: 'email', 'Person Linkedin Url': 'linkedinUrl', Website: 'website', Country: 'country', 'Work Direct Phone': 'phone', 'Apollo Contact Id': null }],
    ['HubSpot export', ['Record ID', 'First Name', 'Last Name', 'Email', 'Phone Number', 'Company Name', 'Job Title', 'Country/Region', 'Website URL', 'Contact owner'], 'hubspot',
      { 'Record ID': null, 'First Name': 'firstName', 'Last Name': 'lastName', Email: 'email', 'Phone Number': 'phone', 'Company Name': 'company', 'Job Title': 'title', 'Country/Region': 'country', 'Website URL': 'website', 'Contact owner': null }],
    ['Sales Navigator (export tool)', ['Full Name', 'Job Title', 'Current Company', 'Profile URL', 'Location'], 'sales_navigator',
      { 'Full Name': 'fullName', 'Job Title': 'title', 'Current Company': 'company', 'Profile URL': 'linkedinUrl', Location: 'city' }],
    ['generic, German headers, accents', ['E-Mail', 'Vorname', 'Nachname', 'Firma', 'Prénom'], 'generic_csv',
      { 'E-Mail': 'email', Vorname: 'firstName', Nachname: 'lastName', Firma: null, Prénom: null }],
  ])('%s', (_name, headers, source, mapping) => {
    expect(detectMapping(headers)).toEqual({ source, mapping });
  });

  it('says what is missing for rows to be importable', () => {
    expect(mappingProblems({ Name: 'fullName', Title: 'title' })).toEqual(['map an email column, a LinkedIn URL column, or a name and a company column']);
    expect(mappingProblems({ Name: 'fullName', Org: 'company' })).toEqual([]);
    expect(mappingProblems({ Mail: 'email' })).toEqual([]);
  });
});

describe('mergeFields (source priority)', () => {
  const at = '2026-11-26T10:00:00.000Z';
  const src = (source: string) => ({ source, batchId: null, at });
  it.each([
    ['an empty field takes the value', { title: null }, {}, { title: 'CTO' }, 'generic_csv', { title: 'CTO' }],
    ['a typed value (no source) is never overwritten by an import', { title: 'VP Sales' }, {}, { title: 'CTO' }, 'hubspot', {}],
    ['a higher source replaces a lower one', { title: 'CTO' }, { title: src('apollo') }, { title: 'Chief Technology Officer' }, 'hubspot', { title: 'Chief Technology Officer' }],
    ['the same source may update its own value', { title: 'CTO' }, { title: src('apollo') }, { title: 'CEO' }, 'apollo', { title: 'CEO' }],
    ['a lower source does not replace a higher one', { title: 'CTO' }, { title: src('hubspot') }, { title: 'CEO' }, 'generic_csv', {}],
    ['enrichment only fills gaps', { title: 'CTO', city: null }, { title: src('generic_csv') }, { title: 'CEO', city: 'Berlin' }, 'enrichment_apollo', { city: 'Berlin' }],
    ['an equal value is no change', { title: 'CTO' }, {}, { title: 'CTO' }, 'hubspot', {}],
    ['empty incoming values are ignored', { title: 'CTO' }, { title: src('apollo') }, { title: '' }, 'hubspot', {}],
  ])('%s', (_name, current, currentSources, incoming, source, changes) => {
    expect(mergeFields({ current, currentSources, incoming, source: src(source) }).changes).toEqual(changes);
  });
});
