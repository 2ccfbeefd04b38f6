// Types of bin/build-state.js (plain JavaScript: bin/paysim.js loads it before any build exists).
export declare const root: string;
export declare const sourceFolders: readonly string[];
export declare const stampPath: string;
export declare function staleBuild(): string | undefined;
