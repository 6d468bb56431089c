import { Gauge, type Registry } from 'prom-client';

/**
 * gateway_shared_state_up{store}: 1 while the shared state answers (memory always does; Redis
 * while connected), 0 while sign-in and sign-out are refused for want of it.
 */
export function registerSharedStateGauge(registry: Registry, state: { readonly store: string; isUp(): boolean }): void {
  new Gauge({
    name: 'gateway_shared_state_up',
    help: 'Whether the shared state (sign-in throttles, sign-outs, tickets) answers: 1 up, 0 down (sign-in and sign-out are refused).',
    labelNames: ['store'],
    registers: [registry],
    collect() {
      this.set({ store: state.store }, state.isUp() ? 1 : 0);
    },
  });
}
