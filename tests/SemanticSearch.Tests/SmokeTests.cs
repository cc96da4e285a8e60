using SemanticSearch.Extraction;

namespace SemanticSearch.Tests;

public class SmokeTests
{
    [Fact]
    public void RejectionCarriesItsReason()
    {
        var error = new DocumentRejectedException(RejectionReason.Empty, "empty");
        Assert.Equal(RejectionReason.Empty, error.Reason);
    }
}
