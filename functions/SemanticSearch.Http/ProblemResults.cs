using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace SemanticSearch.Http;

/// <summary>RFC 9457 problem responses (<c>application/problem+json</c>), the same from both hosts.</summary>
public static class ProblemResults
{
    public const string ContentType = "application/problem+json";

    public static ObjectResult Validation(IReadOnlyDictionary<string, string[]> errors)
    {
        var problem = new ValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is invalid.",
            Detail = string.Join(" ", errors.Values.SelectMany(v => v)),
            Type = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        };
        return Create(problem);
    }

    public static ObjectResult NotFound(string detail) => Create(new ProblemDetails
    {
        Status = StatusCodes.Status404NotFound,
        Title = "Not found.",
        Detail = detail,
        Type = "https://tools.ietf.org/html/rfc9110#section-15.5.5",
    });

    public static ObjectResult PayloadTooLarge(string detail) => Create(new ProblemDetails
    {
        Status = StatusCodes.Status413PayloadTooLarge,
        Title = "The request body is too large.",
        Detail = detail,
        Type = "https://tools.ietf.org/html/rfc9110#section-15.5.14",
    });

    public static ObjectResult Unauthorized(string detail) => Create(new ProblemDetails
    {
        Status = StatusCodes.Status401Unauthorized,
        Title = "An API key is required.",
        Detail = detail,
        Type = "https://tools.ietf.org/html/rfc9110#section-15.5.2",
    });

    public static ObjectResult Unavailable(string detail) => Create(new ProblemDetails
    {
        Status = StatusCodes.Status503ServiceUnavailable,
        Title = "The service is not ready.",
        Detail = detail,
        Type = "https://tools.ietf.org/html/rfc9110#section-15.6.4",
    });

    /// <summary>429 with <c>Retry-After</c> (whole seconds, at least 1): the caller is welcome again after that.</summary>
    public static IActionResult TooManyRequests(string detail, TimeSpan retryAfter) => new RetryAfterResult(Create(new ProblemDetails
    {
        Status = StatusCodes.Status429TooManyRequests,
        Title = "Too many requests.",
        Detail = detail,
        Type = "https://tools.ietf.org/html/rfc6585#section-4",
    }), retryAfter);

    private static ObjectResult Create(ProblemDetails problem)
    {
        var result = new ObjectResult(problem) { StatusCode = problem.Status };
        result.ContentTypes.Add(ContentType);
        return result;
    }
}
