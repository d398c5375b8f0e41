export { globalTeardown as default } from '../src/jest-global-setup';
