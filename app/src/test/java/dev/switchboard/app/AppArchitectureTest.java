package dev.switchboard.app;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

/**
 * The app sees the server only through its extension SPI and the public faces of the node, the
 * API and the HTTP values (docs/ARCHITECTURE.md): never the transport's pipeline, a protocol, the
 * hub or a broker.
 */
@AnalyzeClasses(packages = "dev.switchboard.app", importOptions = ImportOption.DoNotIncludeTests.class)
class AppArchitectureTest {
    @ArchTest
    static final ArchRule theAppUsesOnlyTheServersPublicFaces = classes().that().resideInAPackage("dev.switchboard.app..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.switchboard.app..",
                    "dev.switchboard.extension", "dev.switchboard.api", "dev.switchboard.auth", "dev.switchboard.metrics",
                    "dev.switchboard.node", "dev.switchboard.transport.http", "dev.switchboard.core",
                    "java..", "javax..", "io.netty..", "io.lettuce..", "com.google.zxing..", "com.fasterxml.jackson..",
                    "org.slf4j..");
}
