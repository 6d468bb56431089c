import { describe, expect, it } from 'vitest';
import { groupStanzas } from '../../../../src/contracts/ezproxy/group-stanzas.ts';
import { tokenizeConfig } from '../../../../src/contracts/ezproxy/tokenize-config.ts';

/** The config grouped, each stanza shown as its title, its lines' texts and the positional lines in effect for it. */
function grouped(text: string) {
  const { outside, stanzas } = groupStanzas(tokenizeConfig(text, '/cfg/a.txt'));
  return {
    outside: outside.map((l) => l.text),
    stanzas: stanzas.map((s) => ({ title: s.title.rest, lines: s.lines.map((l) => l.text), inEffect: s.inEffect.map((l) => l.text) })),
  };
}

describe('groupStanzas: which positional directives are in effect for each database (EZproxy applies them to the databases defined after them)', () => {
  const cases: Array<{ name: string; text: string; inEffect: string[][] }> = [
    { name: 'nothing positional: nothing in effect', text: 'Title A\nURL https://a.example\n', inEffect: [[]] },
    { name: 'an AddUserHeader applies to every stanza after it', text: 'AddUserHeader X-Card\nTitle A\nURL https://a.example\nTitle B\nURL https://b.example\n', inEffect: [['AddUserHeader X-Card'], ['AddUserHeader X-Card']] },
    { name: 'a bare AddUserHeader turns it off: nothing is in effect after it (not the bare line itself)', text: 'AddUserHeader X-Card\nTitle A\nURL https://a.example\nAddUserHeader\nTitle B\nURL https://b.example\n', inEffect: [['AddUserHeader X-Card'], []] },
    { name: 'a later AddUserHeader replaces the earlier one: one header at a time', text: 'AddUserHeader X-Card\nTitle A\nURL https://a.example\nAddUserHeader X-Other\nTitle B\nURL https://b.example\n', inEffect: [['AddUserHeader X-Card'], ['AddUserHeader X-Other']] },
    { name: 'Option NoX turns off Option X (any case): the stanza after it has neither line in effect', text: 'Option Cookie\nTitle A\nURL https://a.example\noption NOCOOKIE\nTitle B\nURL https://b.example\n', inEffect: [['Option Cookie'], []] },
    { name: 'an Option NoX with no Option X before it leaves nothing in effect', text: 'Option NoCookie\nTitle A\nURL https://a.example\n', inEffect: [[]] },
    { name: 'different options stay in effect together, and a header with them', text: 'Option Cookie\nOption X-Forwarded-For\nAddUserHeader X-U\nTitle A\nURL https://a.example\n', inEffect: [['AddUserHeader X-U', 'Option Cookie', 'Option X-Forwarded-For']] },
    { name: 'a positional line between Title and URL applies to that database: it is read before the URL defines it', text: 'Title A\nAddUserHeader X-U\nURL https://a.example\n', inEffect: [['AddUserHeader X-U']] },
    { name: 'a positional line after the URL (with lines after it) applies to the next stanza, not to this database', text: 'Title A\nURL https://a.example\nAddUserHeader X-U\nD a.example\nTitle B\nURL https://b.example\n', inEffect: [[], ['AddUserHeader X-U']] },
    { name: 'a second URL in a stanza does not move the point where positional lines are read: the first URL defines the database', text: 'Title A\nURL https://a.example\nOption X-Forwarded-For\nURL https://a2.example\n', inEffect: [[]] },
    { name: 'a stanza without a URL is no database: nothing applies to it (the header at its end is for the next stanza, reported there only)', text: 'Title A\nD a.example\nAddUserHeader X-U\nTitle B\nURL https://b.example\n', inEffect: [[], ['AddUserHeader X-U']] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(grouped(c.text).stanzas.map((s) => s.inEffect)).toEqual(c.inEffect);
    });
  }
});

describe('groupStanzas: which stanza each line belongs to (nothing lost, nothing counted twice)', () => {
  const cases: Array<{ name: string; text: string; outside: string[]; lines: string[][] }> = [
    { name: 'positional lines just before a Title open that stanza, as OCLC\'s published stanzas are written', text: 'Title A\nURL https://a.example\nD a.example\nOption Cookie\nAddUserHeader X-U\nTitle B\nURL https://b.example\n', outside: [], lines: [['URL https://a.example', 'D a.example'], ['Option Cookie', 'AddUserHeader X-U', 'URL https://b.example']] },
    { name: 'only the positional run right before the Title moves: a positional line followed by a database line stays where it is', text: 'Title A\nURL https://a.example\nOption Cookie\nD a.example\nTitle B\nURL https://b.example\n', outside: [], lines: [['URL https://a.example', 'Option Cookie', 'D a.example'], ['URL https://b.example']] },
    { name: 'positional lines before the first Title open the first stanza; other lines there belong to none', text: 'H stray.example\nOption Cookie\nTitle A\nURL https://a.example\n', outside: ['H stray.example'], lines: [['Option Cookie', 'URL https://a.example']] },
    { name: 'an IncludeFile right before a Title stays where it was written: it is where a file was read, not a setting of the stanza below', text: 'Title A\nURL https://a.example\nIncludeFile more.txt\nTitle B\nURL https://b.example\n', outside: [], lines: [['URL https://a.example', 'IncludeFile more.txt'], ['URL https://b.example']] },
    { name: 'a positional line after an IncludeFile (of a file with no stanza) still opens the stanza below it', text: 'Title A\nURL https://a.example\nIncludeFile empty.txt\nOption Cookie\nTitle B\nURL https://b.example\n', outside: [], lines: [['URL https://a.example', 'IncludeFile empty.txt'], ['Option Cookie', 'URL https://b.example']] },
    { name: 'an IncludeFile before the first Title stays outside every stanza, and stops the positional run before it from moving', text: 'Option Cookie\nIncludeFile more.txt\nTitle A\nURL https://a.example\n', outside: ['Option Cookie', 'IncludeFile more.txt'], lines: [['URL https://a.example']] },
    { name: 'a Title as the first line of the file has nothing before it to take', text: 'Title A\nURL https://a.example\n', outside: [], lines: [['URL https://a.example']] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = grouped(c.text);
      expect(result.outside).toEqual(c.outside);
      expect(result.stanzas.map((s) => s.lines)).toEqual(c.lines);
    });
  }
});
