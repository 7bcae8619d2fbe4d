export { profile, ProfileReport } from './profile.js';
export type { ProfileAlert, ProfileOptions, ProfileResult, TargetRelation, VariableProfile } from './profile-types.js';
