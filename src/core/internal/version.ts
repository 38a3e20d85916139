/** The SDK's name and version, as reported to backends. Kept equal to package.json by a test. */
export const SDK_NAME = 'isometer';
export const SDK_VERSION = '0.1.0';
