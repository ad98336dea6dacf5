using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

// Usage: MLPipelines.Publicizer <assembly.dll>... <output folder>
//
// Writes a copy of each assembly in which internal types, methods and fields are public
// (and private protected members protected), for compiling against ML.NET's internals: its
// model-file loaders (LoadableClass, ModelSaveContext, ModelLoadContext) have no public API.
// At run time the real assemblies are used; the CLR lets the compiled code through because
// the assembly that uses them carries [IgnoresAccessChecksTo]. Only the access bits of the
// metadata tables are patched, in place: everything else stays byte for byte as it was.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: MLPipelines.Publicizer <assembly.dll>... <output folder>");
    return 2;
}
var output = args[^1];
Directory.CreateDirectory(output);
foreach (var input in args[..^1])
{
    var bytes = File.ReadAllBytes(input);
    Publicize(bytes);
    // Written to a temporary file and renamed, so that a build never sees half a file.
    var target = Path.Combine(output, Path.GetFileName(input));
    File.WriteAllBytes(target + ".tmp", bytes);
    File.Move(target + ".tmp", target, overwrite: true);
}
return 0;

static void Publicize(byte[] image)
{
    using var pe = new PEReader(new MemoryStream(image, writable: false));
    var metadata = pe.GetMetadataReader();
    var start = pe.PEHeaders.MetadataStartOffset;
    // The access bits are the low 3 bits of the flags column: the first column of TypeDef
    // (4 bytes) and Field (2 bytes); in MethodDef after RVA (4 bytes) and ImplFlags (2 bytes).
    Patch(image, start, metadata, TableIndex.TypeDef, flagsOffset: 0, access => access switch
    {
        0 => 1,      // NotPublic → Public
        5 or 7 => 2, // NestedAssembly, NestedFamORAssem → NestedPublic
        _ => access,
    });
    Patch(image, start, metadata, TableIndex.MethodDef, flagsOffset: 6, MemberAccess);
    Patch(image, start, metadata, TableIndex.Field, flagsOffset: 0, MemberAccess);
}

static int MemberAccess(int access) => access switch
{
    3 or 5 => 6, // Assembly, FamORAssem → Public
    2 => 4,      // FamANDAssem → Family
    _ => access,
};

static void Patch(byte[] image, int metadataStart, MetadataReader metadata, TableIndex table, int flagsOffset, Func<int, int> access)
{
    var first = metadataStart + metadata.GetTableMetadataOffset(table) + flagsOffset;
    var rowSize = metadata.GetTableRowSize(table);
    for (var row = 0; row < metadata.GetTableRowCount(table); row++)
    {
        var at = first + row * rowSize;
        int flags = image[at] | image[at + 1] << 8;
        flags = (flags & ~7) | access(flags & 7);
        image[at] = (byte)flags;
        image[at + 1] = (byte)(flags >> 8);
    }
}
