export { globalSetup as default } from '../src/jest-global-setup';
