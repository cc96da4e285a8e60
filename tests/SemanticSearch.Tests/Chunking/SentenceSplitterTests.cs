using SemanticSearch.Chunking;

namespace SemanticSearch.Tests.Chunking;

public class SentenceSplitterTests
{
    [Theory]
    [InlineData("One. Two! Three? Four", new[] { "One.", "Two!", "Three?", "Four" })]
    [InlineData("Dr. Smith arrived. He sat down.", new[] { "Dr. Smith arrived.", "He sat down." })]
    [InlineData("Values rose, e.g. Insulin rose. Then fell.", new[] { "Values rose, e.g. Insulin rose.", "Then fell." })]
    [InlineData("J. R. R. Tolkien wrote it. It sold well.", new[] { "J. R. R. Tolkien wrote it.", "It sold well." })]
    [InlineData("It grew 3.5 times. \"Really?\" She asked.", new[] { "It grew 3.5 times.", "\"Really?\"", "She asked." })]
    [InlineData("lower case after a dot. does not split", new[] { "lower case after a dot. does not split" })]
    [InlineData("Smith et al. Showed it. Fine.", new[] { "Smith et al. Showed it.", "Fine." })]
    public void SplitsOnSentenceEndsOnly(string text, string[] expected) =>
        Assert.Equal(expected, SentenceSplitter.Split(text));
}
