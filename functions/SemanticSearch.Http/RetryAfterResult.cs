using System.Globalization;
using Microsoft.AspNetCore.Mvc;

namespace SemanticSearch.Http;

/// <summary>An <see cref="ObjectResult"/> with a <c>Retry-After</c> header in whole seconds (at least 1).</summary>
internal sealed class RetryAfterResult(ObjectResult inner, TimeSpan retryAfter) : IActionResult
{
    public ObjectResult Inner => inner;

    public Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return inner.ExecuteResultAsync(context);
    }
}
