package dev.parley.build;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * Build step of the distribution (launcher/pom.xml, not shipped): rewrites the class files of the jars in
 * {@code lib/} that are older than Java 6 (version 50) as Java 8 class files with stack maps.
 *
 * <p>Why: the JDK's AOT cache (JDK 24+, {@code -XX:AOTCache}) and dynamic CDS archives drop every class older
 * than version 50 that the training run linked, since the old verifier leaves no constraints that could be
 * checked at the next start (JDK 25 logs "Skipping ...: Old class has been linked"); classes implementing their
 * interfaces are dropped with them. picocli is compiled for Java 5, so every start loaded, verified and linked
 * its ~170 classes from the jar again: about 60 ms of {@code parley server}. The bytecode is left as it is;
 * only the version and the stack maps that version requires change, so the classes behave the same.
 *
 * <p>Idempotent: a jar without old class files is not touched. Signed jars are refused, as a rewrite would
 * void their signature.
 */
public final class ClassFileUpgrade {
    private static final int FIRST_WITH_STACK_MAPS = Opcodes.V1_6;

    private ClassFileUpgrade() {
    }

    public static void main(String[] args) throws IOException {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of(args[0]), "*.jar")) {
            for (Path jar : jars) {
                if (hasOldClasses(jar)) {
                    upgrade(jar);
                    System.out.println("Upgraded the Java 5 (or older) class files of " + jar.getFileName());
                }
            }
        }
    }

    private static boolean hasOldClasses(Path jar) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                if (isClass(entry) && version(in.readAllBytes()) < FIRST_WITH_STACK_MAPS) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void upgrade(Path jar) throws IOException {
        Path upgraded = jar.resolveSibling(jar.getFileName() + ".upgraded");
        // The jar's own classes, for the common superclasses that computing stack maps needs.
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                ClassLoader.getPlatformClassLoader());
             ZipInputStream in = new ZipInputStream(Files.newInputStream(jar));
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(upgraded))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                String name = entry.getName();
                if (name.startsWith("META-INF/") && (name.endsWith(".SF") || name.endsWith(".RSA")
                        || name.endsWith(".DSA") || name.endsWith(".EC"))) {
                    throw new IllegalStateException(jar + " is signed; rewriting its classes would break it");
                }
                byte[] bytes = in.readAllBytes();
                if (isClass(entry) && version(bytes) < FIRST_WITH_STACK_MAPS) {
                    bytes = upgrade(bytes, loader);
                }
                ZipEntry copy = new ZipEntry(name);
                copy.setTime(entry.getTime());
                out.putNextEntry(copy);
                out.write(bytes);
                out.closeEntry();
            }
        }
        Files.move(upgraded, jar, StandardCopyOption.REPLACE_EXISTING);
    }

    private static byte[] upgrade(byte[] classFile, ClassLoader loader) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
            @Override
            protected ClassLoader getClassLoader() {
                return loader;
            }
        };
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName,
                    String[] interfaces) {
                super.visit(Opcodes.V1_8, access, name, signature, superName, interfaces);
            }
        }, ClassReader.SKIP_FRAMES);
        return writer.toByteArray();
    }

    /** Multi-release entries (META-INF/versions/) are newer than the jar's base classes by definition. */
    private static boolean isClass(ZipEntry entry) {
        return entry.getName().endsWith(".class") && !entry.getName().startsWith("META-INF/");
    }

    private static int version(byte[] classFile) {
        return ((classFile[6] & 0xff) << 8) | (classFile[7] & 0xff);
    }
}
