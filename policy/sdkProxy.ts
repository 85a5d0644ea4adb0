/**
 * @pulumi/policy's unknown-value proxy, the same module its server uses (so `instanceof`
 * holds). Its published types strip these exports (@internal), hence the declaration here;
 * importing the SDK's index instead would load its gRPC server code.
 */
import * as proxyModule from "@pulumi/policy/proxy";

interface ProxyModule {
    unknownCheckingProxy<T>(toProxy: T): T;
    UnknownValueError: new (sentinel: unknown, props: string[]) => Error & { props: string[] };
}

export const { unknownCheckingProxy, UnknownValueError } = proxyModule as unknown as ProxyModule;
