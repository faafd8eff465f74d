namespace GameAnalytics.Query.Protocol;

/// <summary>
/// A column's <c>typeSignature</c>. Trino's has <c>rawType</c> and <c>arguments</c> of kind <c>TYPE</c>, <c>LONG</c>
/// or <c>NAMED_TYPE</c>; Presto's names the kinds <c>TYPE_SIGNATURE</c>, <c>LONG_LITERAL</c> and
/// <c>NAMED_TYPE_SIGNATURE</c>, and still writes its deprecated <c>typeArguments</c> and <c>literalArguments</c>.
/// </summary>
public sealed record TypeSignature(
    string RawType,
    IReadOnlyList<TypeSignature>? TypeArguments,
    IReadOnlyList<string>? LiteralArguments,
    IReadOnlyList<TypeArgument> Arguments)
{
    public static TypeSignature Of(PrestoType type, SqlDialect dialect)
    {
        var presto = dialect.Family == HeaderFamily.Presto;
        var arguments = new List<TypeArgument>();
        if (type.Name == "varchar")
        {
            arguments.Add(new TypeArgument(presto ? "LONG_LITERAL" : "LONG", PrestoType.UnboundedVarchar));
        }
        else if (type.IsTimestamp && dialect.ParametricDatetime)
        {
            arguments.Add(new TypeArgument("LONG", 3L));
        }

        arguments.AddRange(type.Numbers.Select(number => new TypeArgument(presto ? "LONG_LITERAL" : "LONG", number)));
        foreach (var parameter in type.Parameters)
        {
            var unnamed = parameter with { FieldName = null };
            var signature = Of(unnamed, dialect);
            arguments.Add(parameter.FieldName switch
            {
                null => new TypeArgument(presto ? "TYPE_SIGNATURE" : "TYPE", signature),
                { } field when presto => new TypeArgument("NAMED_TYPE_SIGNATURE", new PrestoNamedType(new FieldName(field, false), unnamed.Display(dialect))),
                { } field => new TypeArgument("NAMED_TYPE", new TrinoNamedType(new FieldName(field, null), signature)),
            });
        }

        if (!presto)
        {
            return new TypeSignature(type.Name, null, null, arguments);
        }

        var typeArguments = type.Numbers.Count > 0 || type.Name == "varchar"
            ? []
            : type.Parameters.Select(parameter => Of(parameter with { FieldName = null }, dialect)).ToList();
        var literalArguments = type.Parameters.Where(parameter => parameter.FieldName is not null).Select(parameter => parameter.FieldName!).ToList();
        return new TypeSignature(type.Name, typeArguments, literalArguments, arguments);
    }
}

/// <summary>One argument of a type signature; its value is a number, a signature, or a named field.</summary>
public sealed record TypeArgument(string Kind, object Value);

public sealed record FieldName(string Name, bool? Delimited);

/// <summary>Presto writes a row field's type as text.</summary>
public sealed record PrestoNamedType(FieldName FieldName, string TypeSignature);

public sealed record TrinoNamedType(FieldName FieldName, TypeSignature TypeSignature);
