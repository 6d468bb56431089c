/**
 * Names that are also everyday words. A patron named June Rose searching for "rose garden" is
 * not leaking her name, so these are not matched on their own (the full name still is).
 */
export const COMMON_WORD_NAMES: ReadonlySet<string> = new Set([
  'april', 'art', 'august', 'autumn', 'bill', 'black', 'brook', 'brown', 'bush', 'carol', 'cash', 'chase', 'clay', 'cook', 'dawn',
  'dean', 'faith', 'ford', 'frank', 'gay', 'gene', 'grace', 'gray', 'green', 'grey', 'hall', 'hill', 'holly', 'hope', 'hunter',
  'iris', 'ivy', 'jack', 'jade', 'joy', 'june', 'king', 'lane', 'lee', 'lily', 'long', 'love', 'major', 'mark', 'marsh', 'mason',
  'may', 'miles', 'mills', 'moon', 'moore', 'new', 'north', 'park', 'pearl', 'penny', 'price', 'ray', 'read', 'reed', 'rich',
  'rock', 'rose', 'ruby', 'sage', 'sky', 'smith', 'star', 'stone', 'storm', 'summer', 'sun', 'west', 'white', 'will', 'wood',
  'woods', 'young', 'the', 'and', 'for', 'book', 'books', 'page', 'story',
]);
