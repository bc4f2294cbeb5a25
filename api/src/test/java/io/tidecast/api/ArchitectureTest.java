package io.tidecast.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of DESIGN.md, checked on the compiled classes of every module (they are all
 * on this module's test class path). The enforcer's bannedDependencies keeps the same rules on the
 * dependency tree; this test also catches the JDK's own JDBC and a model named by class.
 */
class ArchitectureTest {

  private static final String[] MODEL_PACKAGES = {
    "io.tidecast.forecaster..", "io.tidecast.zoo..", "io.tidecast.spiking.."
  };

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.tidecast");
  }

  @Test
  void modelModulesUseNoKafkaSpringOrJdbc() {
    noClasses().that().resideInAnyPackage(MODEL_PACKAGES)
        .should().dependOnClassesThat().resideInAnyPackage(
            "org.apache.kafka..", "org.springframework..", "java.sql..", "javax.sql..", "org.postgresql..")
        .because("model modules run anywhere ND4J runs (DESIGN.md, Modules)")
        .check(classes);
  }

  @Test
  void streamsAppUsesNoSpring() {
    noClasses().that().resideInAPackage("io.tidecast.streams..")
        .should().dependOnClassesThat().resideInAPackage("org.springframework..")
        .because("Spring lives in api only")
        .check(classes);
  }

  @Test
  void modelsAreFoundThroughTheServiceLoaderNotByName() {
    noClasses().that().resideInAnyPackage("io.tidecast.streams..", "io.tidecast.api..")
        .should().dependOnClassesThat().resideInAnyPackage("io.tidecast.zoo..", "io.tidecast.spiking..")
        .check(classes);
  }

  @Test
  void layersPointOneWay() {
    noClasses().that().resideInAPackage("io.tidecast.forecaster..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.tidecast.zoo..", "io.tidecast.spiking..", "io.tidecast.streams..", "io.tidecast.api..")
        .check(classes);
    noClasses().that().resideInAPackage("io.tidecast.zoo..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.tidecast.spiking..", "io.tidecast.streams..", "io.tidecast.api..")
        .check(classes);
    noClasses().that().resideInAnyPackage("io.tidecast.spiking..", "io.tidecast.streams..")
        .should().dependOnClassesThat().resideInAPackage("io.tidecast.api..")
        .check(classes);
  }
}
