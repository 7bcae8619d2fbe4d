export { SVC, NuSVC, type SVCParams, type NuSVCParams } from './svc.js';
export { SVR, NuSVR, type SVRParams, type NuSVRParams } from './svr.js';
export { OneClassSVM, type OneClassSVMParams } from './one-class-svm.js';
export type { SvcCommonParams } from './classifier.js';
export type { KernelParams } from './base.js';
export type { Gamma } from './gamma.js';
export type { SvmKernelKind } from '../../backend/contract/svm.js';
