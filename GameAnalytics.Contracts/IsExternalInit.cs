#if NETSTANDARD2_1
namespace System.Runtime.CompilerServices;

// Records need it; netstandard2.1 predates it.
internal static class IsExternalInit;
#endif
