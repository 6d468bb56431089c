/**
 * The recorded SIP2 exchanges of the protocol reference (../shared/reference/sip2.md, section 8.3):
 * Evergreen's SIPServer with its sample ILS, error detection on and off. Each line is the wire
 * text without its trailing CR. Test data for the codec and seed data for the fake ILS.
 */

export interface TranscriptExchange {
  readonly request: string;
  readonly response: string;
}

export const TRANSCRIPT_WITH_ERROR_DETECTION: ReadonlyArray<TranscriptExchange> = [
  { request: '9300CNscclient|COclientpwd|CPcirc_desk|AY0AZEFDF', response: '941AY0AZFDFD' },
  { request: '9900302.00AY1AZFCA5', response: '98YNNYNN60000320261129    0615402.00AOUWOLS|BXYYYYYYYYYNYNYYYY|AY1AZEDD9' },
  {
    request: '2300120240101    120000AOUWOLS|AAdjfiander|AC|AD6789|AY2AZF04C',
    response: '24  Y           00120261129    061540AOUWOLS|AAdjfiander|AEDavid J. Fiander|BLY|CQY|AY2AZE7F0',
  },
  {
    request: '2300120240101    120000AOUWOLS|AAdjfiander|AC|ADbadpin|AY3AZEEBB',
    response: '24  Y           00120261129    061540AOUWOLS|AAdjfiander|AEDavid J. Fiander|BLY|CQN|AY3AZE7FA',
  },
  {
    request: '2300120240101    120000AOUWOLS|AAnosuchpatron|AC|AY4AZF0AC',
    response: '24YYYY          00120261129    061540AOUWOLS|AAnosuchpatron|AE|BLN|AY4AZEC93',
  },
  {
    request: '6300120240101    120000          AOUWOLS|AAdjfiander|AC|AD6789|AY5AZEF05',
    response:
      '64  Y           00020261129    061540000000000000000100000000AOUWOLS|AAdjfiander|AEDavid J. Fiander|BD2 Meadowvale Dr. St Thomas, ON|BEdjfiander@hotmail.com|BF(519) 555 1234|AQBeacock|BLY|CQY|PA20501231|PB19640925|PCA|PIY|AY5AZC00D',
  },
  {
    request: '6300120240101    120000   Y      AOUWOLS|AAdjfiander|AC|AD6789|BP1|BQ5|AY6AZEC48',
    response:
      '64  Y           00020261129    061540000000000000000100000000AOUWOLS|AAdjfiander|AEDavid J. Fiander|BD2 Meadowvale Dr. St Thomas, ON|BEdjfiander@hotmail.com|BF(519) 555 1234|AQBeacock|AVComputer Time|AV|AV|AV|AV|BLY|CQY|PA20501231|PB19640925|PCA|PIY|AY6AZB5AF',
  },
  {
    request: '6300120240101    120000          AOUWOLS|AAmiker|AC|AY7AZF271',
    response:
      '64  Y           00020261129    061540000000000000000000000000AOUWOLS|AAmiker|AEMike Rylander|BDSomewhere in Atlanta|BEmrylander@gmail.com|BF(404) 555 1235|BLY|PA20501120|PB19640925|PCA|PIN|AY7AZCA29',
  },
  {
    request: '6300120240101    120000          AOUWOLS|AAnosuchpatron|AC|AY8AZEF64',
    response: '64YYYY          00120261129    061540000000000000000000000000AOUWOLS|AAnosuchpatron|AE|BLN|AY8AZE80B',
  },
  { request: '97AZFEF5', response: '64YYYY          00120261129    061540000000000000000000000000AOUWOLS|AAnosuchpatron|AE|BLN|AY0AZE813' },
  {
    request: '3520240101    120000AOUWOLS|AAdjfiander|AC|AD6789|AY9AZF0D3',
    response: '36Y20261129    061540AOUWOLS|AAdjfiander|AFThank you for using Evergreen!|AY9AZE737',
  },
  { request: '9900302.00AY0AZ0000', response: '96AZFEF6' },
  {
    request: '01N20240101    120000AOUWOLS|ALCard retained by test|AAmiker|AC|AY1AZEB38',
    response: '24YYYY          00020261129    061540AOUWOLS|AAmiker|AEMike Rylander|BLY|CQN|AFCard retained by test|AY1AZE08F',
  },
];

export const TRANSCRIPT_WITHOUT_ERROR_DETECTION: ReadonlyArray<TranscriptExchange> = [
  { request: '9300CNscclient|COclientpwd|', response: '941' },
  { request: '9900302.00', response: '98YNNYNN60000320261129    0616092.00AOUWOLS|BXYYYYYYYYYNYNYYYY|' },
  {
    request: '2300120240101    120000AOUWOLS|AAdjfiander|AC|AD6789|',
    response: '24  Y           00120261129    061609AOUWOLS|AAdjfiander|AEDavid J. Fiander|BLY|CQY|',
  },
  {
    request: '6300120240101    120000Y         AOUWOLS|AAdjfiander|AC|',
    response:
      '64  Y           00020261129    061609000000000000000100000000AOUWOLS|AAdjfiander|AEDavid J. Fiander|BD2 Meadowvale Dr. St Thomas, ON|BEdjfiander@hotmail.com|BF(519) 555 1234|AQBeacock|BLY|PA20501231|PB19640925|PCA|PIY|',
  },
  {
    request: '3520240101    120000AOUWOLS|AAdjfiander|',
    response: '36Y20261129    061609AOUWOLS|AAdjfiander|AFThank you for using Evergreen!|',
  },
  { request: '9300CNscclient|COwrong|', response: '940' },
];

/** Section 8.1: text up to and including AZ, and the checksum. */
export const CHECKSUM_VECTORS: ReadonlyArray<readonly [text: string, checksum: string, encoding: 'utf-8' | 'latin1' | 'cp850']> = [
  ['990 402.00AY1AZ', 'FCB4', 'utf-8'],
  ['97AZ', 'FEF5', 'utf-8'],
  ['96AZ', 'FEF6', 'utf-8'],
  ['941AY3AZ', 'FDFA', 'utf-8'],
  ['9300CNuser_id|COpassw0rd|AY1AZ', 'F594', 'utf-8'],
  ['9300CNscclient|COclientpwd|CPcirc_desk|AY0AZ', 'EFDF', 'utf-8'],
  ['941AY0AZ', 'FDFD', 'utf-8'],
  ['2300120240101    120000AOUWOLS|AAdjfiander|AC|AD6789|AY2AZ', 'F04C', 'utf-8'],
  ['36Y20240101    120000AOUWOLS|AAjosé|AY1AZ', 'F44F', 'utf-8'],
  ['36Y20240101    120000AOUWOLS|AAjosé|AY1AZ', 'F4D2', 'latin1'],
  ['36Y20240101    120000AOUWOLS|AAjosé|AY1AZ', 'F539', 'cp850'],
];

/** Section 8.2: published messages whose printed checksum is wrong, with the correct one. */
export const NEGATIVE_CHECKSUM_VECTORS: ReadonlyArray<readonly [message: string, correct: string]> = [
  ['9300CNLoginUserID|COLoginPassword|CPLocationCode|AY5AZEC78', 'EC7B'],
  ['2300119960212 100239AOid_21|104000000105|AC|AD|AY2AZF400', 'F353'],
  ['98YYYNYN01000319960214    1447001.00AOID_21|AMCentral Library|ANtty30|AFScreen Message|AGPrint Message|AY1AZDA74', 'DEC6'],
  ['24              00119960212    100239AO|AA104000000105|AEJohn Doe|AFScreen Message|AGCheck Print message|AY2AZDFC4', 'E21B'],
  ['9900401.00AY1AZAAAA', 'FCA5'],
  ['9300CNuser_id|COpassw0rd|AY1AZF595', 'F594'],
];
