public class Placeholder;
