import type { Options } from 'tsup';
export declare function defineBase(options: Options): Options | Options[] | ((overrideOptions: Options) => Options | Options[] | Promise<Options | Options[]>);
