import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { chooseLanguage } from '../../../../src/web/messages/choose-language.ts';

function request(headers: Record<string, string>): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  req.headers = headers;
  return req;
}

describe('chooseLanguage', () => {
  it.each([
    [{ 'accept-language': 'es-MX,en;q=0.5' }, undefined, 'es', 'a regional variant matches its language, and it is preferred'],
    [{ 'accept-language': 'fr, es;q=0.1, en;q=0.2' }, undefined, 'en', 'q-values rank the languages the gateway has, not their order'],
    [{ 'accept-language': 'en;q=0, es' }, undefined, 'es', 'q=0 means "not this one"'],
    [{ 'accept-language': 'de, fr' }, undefined, 'en', 'no catalogue matches, so English'],
    [{}, 'es', 'es', "no browser preference: the patron record's language"],
    [{ 'accept-language': 'en' }, 'es-419', 'es', "the patron record's language comes before the browser's"],
    [{ 'accept-language': 'es', cookie: 'gw_lang=en' }, 'es', 'en', "the patron's explicit choice (the language switch) comes first"],
    [{ 'accept-language': 'en', cookie: 'gw_lang=xx' }, undefined, 'en', 'a language cookie naming no catalogue is ignored'],
  ])('%o with record language %s gives %s (%s)', (headers: Record<string, string>, patronLanguage: string | undefined, expected: string, _reason: string) => {
    expect(chooseLanguage(request(headers), patronLanguage).lang).toBe(expected);
  });
});
