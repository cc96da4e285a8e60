using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace SemanticSearch.AzureBackends.Tests.Support;

/// <summary>
/// The part of Azure AI Search's OData filter language the index sends, parsed and evaluated as the service does:
/// <c>and</c>, <c>or</c>, <c>not</c>, parentheses, comparisons of a field with a literal (<c>eq ne gt ge lt le</c>;
/// strings with doubled quotes, booleans, null, integers, ISO 8601 times), <c>collection/any(x: …)</c> and
/// <c>search.in(x, 'values', 'delimiters')</c>. A field that does not exist or is not filterable is an error, as is
/// anything left over: a value that escaped its quotes would show up as a parse error or a wider match in a test.
/// </summary>
internal sealed class ODataFilter
{
    private readonly Func<JsonObject, Dictionary<string, JsonNode?>, bool> _predicate;

    private ODataFilter(Func<JsonObject, Dictionary<string, JsonNode?>, bool> predicate) => _predicate = predicate;

    public bool Matches(JsonObject document) => _predicate(document, new Dictionary<string, JsonNode?>(StringComparer.Ordinal));

    /// <summary>Parses <paramref name="filter"/> against the index's fields (name → definition); throws <see cref="FormatException"/> when the service would answer 400.</summary>
    public static ODataFilter Parse(string filter, IReadOnlyDictionary<string, JsonObject> fields)
    {
        var parser = new Parser(Tokenize(filter), fields);
        var predicate = parser.Or([]);
        parser.ExpectEnd();
        return new ODataFilter(predicate);
    }

    private enum Kind { Identifier, String, Literal, Symbol }

    private sealed record Token(Kind Kind, string Text);

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        for (var i = 0; i < text.Length;)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '\'')
            {
                var value = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw new FormatException("Unterminated string literal.");
                    }
                    if (text[i] == '\'')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '\'')
                        {
                            value.Append('\'');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    value.Append(text[i++]);
                }
                tokens.Add(new Token(Kind.String, value.ToString()));
            }
            else if ("()/:,".Contains(c, StringComparison.Ordinal))
            {
                tokens.Add(new Token(Kind.Symbol, c.ToString()));
                i++;
            }
            else if (char.IsAsciiDigit(c) || c == '-')
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || "-+:.".Contains(text[i], StringComparison.Ordinal)))
                {
                    i++;
                }
                tokens.Add(new Token(Kind.Literal, text[start..i]));
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '.'))
                {
                    i++;
                }
                var word = text[start..i];
                tokens.Add(new Token(word is "true" or "false" or "null" ? Kind.Literal : Kind.Identifier, word));
            }
            else
            {
                throw new FormatException($"Unexpected character '{c}' at {i}.");
            }
        }
        return tokens;
    }

    private sealed class Parser(List<Token> tokens, IReadOnlyDictionary<string, JsonObject> fields)
    {
        private int _position;

        private Token? Peek => _position < tokens.Count ? tokens[_position] : null;

        public void ExpectEnd()
        {
            if (Peek is { } extra)
            {
                throw new FormatException($"Unexpected '{extra.Text}' after the end of the expression.");
            }
        }

        public Func<JsonObject, Dictionary<string, JsonNode?>, bool> Or(HashSet<string> variables)
        {
            var left = And(variables);
            while (IsWord("or"))
            {
                _position++;
                var right = And(variables);
                var l = left;
                left = (d, v) => l(d, v) || right(d, v);
            }
            return left;
        }

        private Func<JsonObject, Dictionary<string, JsonNode?>, bool> And(HashSet<string> variables)
        {
            var left = Unary(variables);
            while (IsWord("and"))
            {
                _position++;
                var right = Unary(variables);
                var l = left;
                left = (d, v) => l(d, v) && right(d, v);
            }
            return left;
        }

        private Func<JsonObject, Dictionary<string, JsonNode?>, bool> Unary(HashSet<string> variables)
        {
            if (IsWord("not"))
            {
                _position++;
                var operand = Unary(variables);
                return (d, v) => !operand(d, v);
            }
            return Primary(variables);
        }

        private Func<JsonObject, Dictionary<string, JsonNode?>, bool> Primary(HashSet<string> variables)
        {
            if (IsSymbol("("))
            {
                _position++;
                var inner = Or(variables);
                Expect(")");
                return inner;
            }
            var name = Next(Kind.Identifier).Text;
            if (name == "search.in")
            {
                Expect("(");
                var variable = Next(Kind.Identifier).Text;
                Expect(",");
                var list = Next(Kind.String).Text;
                var delimiters = " ,";
                if (IsSymbol(","))
                {
                    _position++;
                    delimiters = Next(Kind.String).Text;
                }
                Expect(")");
                var values = list.Split(delimiters.ToCharArray(), StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
                var read = Operand(variable, variables);
                return (d, v) => read(d, v) is JsonValue value && value.TryGetValue<string>(out var s) && values.Contains(s);
            }
            if (IsSymbol("/"))
            {
                _position++;
                if (Next(Kind.Identifier).Text != "any")
                {
                    throw new FormatException("Only any() lambdas are supported.");
                }
                var field = Field(name, collection: true);
                Expect("(");
                var variable = Next(Kind.Identifier).Text;
                Expect(":");
                var body = Or([.. variables, variable]);
                Expect(")");
                return (d, v) => d[field] is JsonArray items && items.Any(item =>
                {
                    var scope = new Dictionary<string, JsonNode?>(v, StringComparer.Ordinal) { [variable] = item };
                    return body(d, scope);
                });
            }
            var left = Operand(name, variables);
            var op = Next(Kind.Identifier).Text;
            var literal = Literal();
            return op switch
            {
                "eq" => (d, v) => Compare(left(d, v), literal) == 0,
                "ne" => (d, v) => Compare(left(d, v), literal) != 0,
                "gt" => (d, v) => Compare(left(d, v), literal) is > 0 and not int.MaxValue,
                "ge" => (d, v) => Compare(left(d, v), literal) is >= 0 and not int.MaxValue,
                "lt" => (d, v) => Compare(left(d, v), literal) is < 0 and not int.MinValue,
                "le" => (d, v) => Compare(left(d, v), literal) is <= 0 and not int.MinValue,
                _ => throw new FormatException($"Unknown operator '{op}'."),
            };
        }

        /// <summary>A range variable or a filterable, single-valued field.</summary>
        private Func<JsonObject, Dictionary<string, JsonNode?>, JsonNode?> Operand(string name, HashSet<string> variables)
        {
            if (variables.Contains(name))
            {
                return (_, v) => v[name];
            }
            var field = Field(name, collection: false);
            return (d, _) => d[field];
        }

        private string Field(string name, bool collection)
        {
            if (!fields.TryGetValue(name, out var definition))
            {
                throw new FormatException($"Could not find a property named '{name}' on type 'search.document'.");
            }
            if (definition["filterable"]?.GetValue<bool>() != true)
            {
                throw new FormatException($"The field '{name}' is not filterable.");
            }
            var isCollection = definition["type"]!.GetValue<string>().StartsWith("Collection(", StringComparison.Ordinal);
            if (isCollection != collection)
            {
                throw new FormatException(collection ? $"'{name}' is not a collection." : $"'{name}' is a collection: use any() or all().");
            }
            return name;
        }

        private object? Literal()
        {
            var token = Peek ?? throw new FormatException("Expected a literal at the end of the expression.");
            _position++;
            return token.Kind switch
            {
                Kind.String => token.Text,
                Kind.Literal when token.Text == "null" => null,
                Kind.Literal when token.Text is "true" or "false" => token.Text == "true",
                Kind.Literal when long.TryParse(token.Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) => number,
                Kind.Literal when DateTimeOffset.TryParse(token.Text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) && token.Text.Contains('T', StringComparison.Ordinal) => time,
                _ => throw new FormatException($"'{token.Text}' is not a literal."),
            };
        }

        /// <summary>Sign of value − literal; int.MinValue / MaxValue when either is null (only eq / ne hold then).</summary>
        private static int Compare(JsonNode? node, object? literal)
        {
            if (node is null || literal is null)
            {
                return node is null && literal is null ? 0 : node is null ? int.MinValue : int.MaxValue;
            }
            var value = node.AsValue();
            return literal switch
            {
                string s => value.TryGetValue<string>(out var v) ? string.CompareOrdinal(v, s) : throw new FormatException("Type mismatch."),
                bool b => value.TryGetValue<bool>(out var v) ? v.CompareTo(b) : throw new FormatException("Type mismatch."),
                long n => value.GetValue<long>().CompareTo(n),
                DateTimeOffset t => DateTimeOffset.Parse(value.GetValue<string>(), CultureInfo.InvariantCulture).CompareTo(t),
                _ => throw new FormatException("Unsupported literal."),
            };
        }

        private bool IsWord(string word) => Peek is { Kind: Kind.Identifier } token && token.Text == word;

        private bool IsSymbol(string symbol) => Peek is { Kind: Kind.Symbol } token && token.Text == symbol;

        private void Expect(string symbol)
        {
            if (!IsSymbol(symbol))
            {
                throw new FormatException($"Expected '{symbol}' but found '{Peek?.Text ?? "the end"}'.");
            }
            _position++;
        }

        private Token Next(Kind kind)
        {
            if (Peek is not { } token || token.Kind != kind)
            {
                throw new FormatException($"Expected {kind} but found '{Peek?.Text ?? "the end"}'.");
            }
            _position++;
            return token;
        }
    }
}
