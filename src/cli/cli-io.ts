/** What a CLI command may touch: output lines, the environment and the clock, all passed in. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => Date;
  readonly readStdin: () => Promise<string>;
}

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

/** The settings file: --config, then GATEWAY_CONFIG, then config/gateway.yaml. */
export function locateSettingsFile(option: string | undefined, io: CliIo): string {
  return option ?? io.env['GATEWAY_CONFIG'] ?? 'config/gateway.yaml';
}
