/** The typed messages exchanged between the extension host and its webviews. */
export * from './inspector';
