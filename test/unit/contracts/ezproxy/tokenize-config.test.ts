import { describe, expect, it } from 'vitest';
import { tokenizeConfig, whyNotText } from '../../../../src/contracts/ezproxy/tokenize-config.ts';

describe('tokenizeConfig', () => {
  const cases: Array<{ name: string; text: string; lines: Array<[line: number, written: string, directive: string | undefined, rest: string]> }> = [
    { name: 'a directive alone on its line (a bare AddUserHeader turns it off) has an empty rest', text: 'AddUserHeader\n', lines: [[1, 'AddUserHeader', 'AddUserHeader', '']] },
    { name: 'tabs and runs of spaces between the name and its arguments are not part of the arguments', text: 'Title\t  Gale  Databases\n', lines: [[1, 'Title', 'Title', 'Gale  Databases']] },
    { name: 'a Find keeps the spaces inside its text, since it is matched exactly', text: 'Find   a  ==  b   \n', lines: [[1, 'Find', 'Find', 'a  ==  b']] },
    { name: 'a title holding a Unicode line separator (U+2028, pasted from a word processor) is still a Title: EZproxy splits lines on CR and LF only', text: 'Title Gale\u2028Databases\nURL https://g.example\n', lines: [[1, 'Title', 'Title', 'Gale\u2028Databases'], [2, 'URL', 'URL', 'https://g.example']] },
    { name: 'old Mac (CR-only) files keep their line numbers', text: 'T A\rU https://a.example\r\rD a.example', lines: [[1, 'T', 'Title', 'A'], [2, 'U', 'URL', 'https://a.example'], [4, 'D', 'Domain', 'a.example']] },
    { name: 'an indented comment is a comment, and an unknown name keeps how it was written', text: '   # Title not this\nFROB x\n', lines: [[2, 'FROB', undefined, 'x']] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(tokenizeConfig(c.text, '/cfg/a.txt').map((l) => [l.line, l.written, l.directive, l.rest])).toEqual(c.lines);
    });
  }
});

describe('whyNotText', () => {
  const cases: Array<{ name: string; bytes: number[]; why: RegExp | undefined }> = [
    { name: 'plain text with tabs and CRLF is text', bytes: [...Buffer.from('Title A\t\r\nURL x\n')], why: undefined },
    { name: 'a NUL byte means binary', bytes: [65, 0], why: /NUL byte at offset 1/ },
    { name: 'a NUL as the very first byte (a UTF-16 big-endian file) is named as binary too, with its offset 0', bytes: [0, 84, 0, 105], why: /^it holds a NUL byte at offset 0: it is a binary file/ },
    { name: 'invalid UTF-8 is refused with a hint to save as UTF-8', bytes: [0xff, 0xfe, 0x41], why: /not valid UTF-8/ },
    { name: 'other control bytes mean binary', bytes: [65, 7, 66, 27], why: /holds 2 control byte\(s\)/ },
    { name: 'UTF-8 titles (accents) are text', bytes: [...Buffer.from('Title Académie\n')], why: undefined },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const why = whyNotText(new Uint8Array(c.bytes));
      if (c.why === undefined) expect(why).toBeUndefined();
      else expect(why).toMatch(c.why);
    });
  }
});
