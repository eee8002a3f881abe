package dev.switchboard.client;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java snippets of the READMEs compile as they are written — imports included — against the
 * client, so a newcomer who pastes one gets no surprise. (Compiled, not run: they need a server.)
 */
class ReadmeSnippetsTest {
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"../client/README.md", "../README.md"})
    void everyJavaSnippetCompiles(String readme) throws IOException {
        String text = Files.readString(Path.of(readme));
        Matcher blocks = JAVA_BLOCK.matcher(text);
        List<String> failures = new ArrayList<>();
        int compiled = 0;
        while (blocks.find()) {
            String problems = compile(blocks.group(1), "Snippet" + compiled++);
            if (!problems.isEmpty()) {
                failures.add(problems + "\nin:\n" + blocks.group(1));
            }
        }
        assertThat(compiled).as("Java snippets in %s", readme).isPositive();
        assertThat(failures).as("snippets of %s that do not compile", readme).isEmpty();
    }

    /** Compiles {@code snippet} as the body of a method, its imports at the top; returns the errors. */
    private static String compile(String snippet, String className) {
        StringBuilder imports = new StringBuilder();
        StringBuilder body = new StringBuilder();
        for (String line : snippet.split("\n")) {
            (line.startsWith("import ") ? imports : body).append(line).append('\n');
        }
        String source = imports + "class " + className + " {\n  static void run() throws Exception {\n" + body
                + "  }\n}\n";
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + className + ".java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        StringWriter out = new StringWriter();
        boolean ok = compiler.getTask(out, null, diagnostics,
                List.of("-classpath", System.getProperty("java.class.path"), "-proc:none", "-d",
                        System.getProperty("java.io.tmpdir"), "-Xlint:-deprecation"), null, List.of(file)).call();
        if (ok) {
            return "";
        }
        StringBuilder errors = new StringBuilder(out.toString());
        diagnostics.getDiagnostics().forEach(d -> errors.append(d.getLineNumber() - imports.toString().lines().count() - 2)
                .append(": ").append(d.getMessage(null)).append('\n'));
        return errors.toString();
    }
}
